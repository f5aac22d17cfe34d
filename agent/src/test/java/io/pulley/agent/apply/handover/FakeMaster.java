package io.pulley.agent.apply.handover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A uWSGI master's FIFO end, as real as a unit test gets: a FIFO made with mkfifo, read by a thread
 * that records the commands and, on "r", recreates the readiness file as a reloaded instance would.
 */
final class FakeMaster implements AutoCloseable {
  private final StringBuilder commands = new StringBuilder();
  private final FileChannel channel;
  private final Thread reader;

  private FakeMaster(Path runDir, String instance) throws Exception {
    Path fifo = runDir.resolve(instance + ".fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    channel = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Path ready = runDir.resolve(instance + ".ready");
    reader =
        new Thread(
            () -> {
              ByteBuffer one = ByteBuffer.allocate(1);
              try {
                while (channel.read(one) > 0) {
                  char command = (char) one.get(0);
                  one.clear();
                  synchronized (commands) {
                    commands.append(command);
                    commands.notifyAll();
                  }
                  if (command == 'r') {
                    Files.writeString(ready, "");
                  }
                }
              } catch (Exception e) {
                // closed by the test
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  static FakeMaster start(Path runDir, String instance) throws Exception {
    return new FakeMaster(runDir, instance);
  }

  String commands() {
    synchronized (commands) {
      return commands.toString();
    }
  }

  /**
   * The commands once {@code count} arrived, or after 5 s: the last one may still be in the FIFO.
   */
  String commands(int count) throws InterruptedException {
    synchronized (commands) {
      long end = System.nanoTime() + 5_000_000_000L;
      while (commands.length() < count && System.nanoTime() < end) {
        commands.wait(10);
      }
      return commands.toString();
    }
  }

  @Override
  public void close() throws java.io.IOException {
    channel.close();
    try {
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
