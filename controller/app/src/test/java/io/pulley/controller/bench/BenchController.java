package io.pulley.controller.bench;

import io.pulley.testing.ControllerProcess;
import io.pulley.testing.ControllerProcess.Launch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller a benchmark measures: the built jar in a child process, so that its memory and CPU
 * time are its own, with a fresh data directory that is deleted when it is closed. Not thread-safe.
 */
final class BenchController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BenchController.class);
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private final ControllerProcess process;
  private final Path workDir;

  private BenchController(ControllerProcess process, Path workDir) {
    this.process = process;
    this.workDir = workDir;
  }

  /** Starts {@code serve} on 127.0.0.1, port 0, and waits until it serves. */
  static BenchController start(Path controllerJar) throws IOException, InterruptedException {
    Launch launch = Launch.jar(controllerJar);
    Path workDir = Files.createTempDirectory("pulley-bench-");
    try {
      Path data = Files.createDirectory(workDir.resolve("data"));
      ControllerProcess process =
          ControllerProcess.start(launch, data, 0, workDir.resolve("controller.log"));
      LOG.info("event=controller_started pid={} port={}", process.pid(), process.port());
      return new BenchController(process, workDir);
    } catch (IOException | InterruptedException | RuntimeException e) {
      deleteRecursively(workDir);
      throw e;
    }
  }

  long pid() {
    return process.pid();
  }

  InetSocketAddress address() {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), process.port());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4-byte address is always valid", e);
    }
  }

  ProcessSample sample() throws IOException {
    process.requireAlive();
    return ProcFs.sample(process.pid());
  }

  /** Fails with the end of the controller's log if it has exited. */
  void requireAlive() {
    process.requireAlive();
  }

  /** Stops the controller (SIGTERM, then SIGKILL) and deletes its data directory. */
  @Override
  public void close() {
    process.close();
    deleteRecursively(workDir);
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(BenchController::deleteQuietly);
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
