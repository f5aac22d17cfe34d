package io.pulley.controller.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A controller in a child JVM, started with the real `serve` command, so that a test can kill it
 * with SIGKILL and start it again on the same data directory and port.
 */
final class ControllerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;

  private ControllerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a controller on {@code port} (0 picks one) and waits until it serves. */
  static ControllerProcess start(Path dataDir, int port, Path logFile)
      throws IOException, InterruptedException {
    Path portFile = dataDir.resolveSibling(dataDir.getFileName() + ".port");
    Files.deleteIfExists(portFile);
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.pulley.controller.cli.PulleyMain",
                "serve",
                "--data-dir",
                dataDir.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--port-file",
                portFile.toString()));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Process process = builder.start();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!Files.exists(portFile)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "controller exited with " + process.exitValue() + ": " + Files.readString(logFile));
      }
      if (Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new IllegalStateException("controller did not start: " + Files.readString(logFile));
      }
      Thread.sleep(50);
    }
    int bound = Integer.parseInt(Files.readString(portFile).trim());
    return new ControllerProcess(process, bound);
  }

  int port() {
    return port;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    return process.waitFor();
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
