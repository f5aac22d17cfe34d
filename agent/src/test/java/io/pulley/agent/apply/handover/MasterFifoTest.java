package io.pulley.agent.apply.handover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterFifoTest {
  @TempDir Path dir;

  private Path mkfifo(String name) throws Exception {
    Path fifo = dir.resolve(name);
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    return fifo;
  }

  @Test
  void send_reachesTheReader() throws Exception {
    Path fifo = mkfifo("a.fifo");
    try (FileChannel master =
        FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MasterFifo.send(fifo, 'r');

      ByteBuffer one = ByteBuffer.allocate(1);
      master.read(one);
      assertThat((char) one.get(0)).isEqualTo('r');
    }
  }

  @Test
  void send_withNobodyReading_returnsInsteadOfBlocking() throws Exception {
    Path fifo = mkfifo("gone.fifo");

    // Opened write-only this would block forever; the send must come back at once.
    CompletableFuture<Void> sent =
        CompletableFuture.runAsync(
            () -> {
              try {
                MasterFifo.send(fifo, 'q');
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    sent.get(10, TimeUnit.SECONDS);
    assertThat(sent).isDone();
  }

  @Test
  void send_toARegularFile_isRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("plain"), "");

    assertThatThrownBy(() -> MasterFifo.send(file, 'r'))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not a FIFO");
  }
}
