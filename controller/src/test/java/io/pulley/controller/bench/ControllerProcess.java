package io.pulley.controller.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller started as a child process, so that its memory and CPU time are its own, with a
 * fresh data directory that is deleted when it is closed. A shutdown hook kills it if the benchmark
 * dies first. Not thread-safe.
 */
final class ControllerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerProcess.class);
  private static final long POLL_MILLIS = 50;
  private static final long STOP_TIMEOUT_SECONDS = 10;
  private static final int LOG_TAIL_LINES = 30;
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private final Process process;
  private final Path workDir;
  private final Thread killer;
  private final int port;

  private ControllerProcess(Process process, Path workDir, Thread killer, int port) {
    this.process = process;
    this.workDir = workDir;
    this.killer = killer;
    this.port = port;
  }

  /** Starts {@code serve} on 127.0.0.1, port 0, and waits until it has written its port. */
  static ControllerProcess start(Path controllerJar, Duration startupTimeout)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(controllerJar)) {
      throw new IllegalArgumentException("controller jar not found: " + controllerJar);
    }
    Path workDir = Files.createTempDirectory("pulley-bench-");
    Path dataDir = Files.createDirectory(workDir.resolve("data"));
    Path portFile = workDir.resolve("port");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            "-jar",
            controllerJar.toAbsolutePath().toString(),
            "serve",
            "--data-dir",
            dataDir.toString(),
            "--listen",
            "127.0.0.1:0",
            "--port-file",
            portFile.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("controller.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    Thread killer = new Thread(() -> kill(process, workDir), "bench-kill-controller");
    Runtime.getRuntime().addShutdownHook(killer);
    ControllerProcess controller = new ControllerProcess(process, workDir, killer, 0);
    try {
      int port = controller.awaitPort(portFile, startupTimeout);
      LOG.info("event=controller_started pid={} port={}", process.pid(), port);
      return new ControllerProcess(process, workDir, killer, port);
    } catch (IOException | InterruptedException | RuntimeException e) {
      controller.close();
      throw e;
    }
  }

  long pid() {
    return process.pid();
  }

  InetSocketAddress address() {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4-byte address is always valid", e);
    }
  }

  ProcessSample sample() throws IOException {
    requireAlive();
    return ProcFs.sample(process.pid());
  }

  /** Fails with the end of the controller's log if it has exited. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "controller exited with status " + process.exitValue() + "; its log ends:\n" + logTail());
    }
  }

  /** Stops the controller (SIGTERM, then SIGKILL) and deletes its data directory. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or will run; it kills an already dead process, which is harmless.
    }
    deleteRecursively(workDir);
  }

  /** What the shutdown hook does if the benchmark is stopped before it closes the controller. */
  private static void kill(Process process, Path workDir) {
    process.destroyForcibly();
    try {
      process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteRecursively(workDir);
  }

  private int awaitPort(Path portFile, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      // The file may be caught half-written; an unparsable read is simply retried.
      int port = readPort(portFile);
      if (port > 0) {
        return port;
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException(
        "controller wrote no port to "
            + portFile.getFileName()
            + " within "
            + timeout
            + "; its log ends:\n"
            + logTail());
  }

  /** The port in the file ("PORT" or "HOST:PORT"), or 0 if there is none yet. */
  private static int readPort(Path portFile) throws IOException {
    String text;
    try {
      text = Files.readString(portFile, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return 0;
    }
    String digits = text.substring(text.lastIndexOf(':') + 1);
    try {
      int port = Integer.parseInt(digits);
      return port > 0 && port <= 65_535 ? port : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(workDir.resolve("controller.log"));
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(ControllerProcess::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("event=cleanup_failed dir={} error={}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
