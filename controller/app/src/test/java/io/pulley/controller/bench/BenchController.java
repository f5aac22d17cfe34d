package io.pulley.controller.bench;

import io.pulley.testing.ControllerProcess;
import io.pulley.testing.ControllerProcess.Launch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller a benchmark measures: the built jar in a child process, so that its memory and CPU
 * time are its own, with a fresh data directory that is deleted when it is closed. It serves
 * metrics on a loopback port of its own, so the benchmark can read how many polls it holds. Not
 * thread-safe.
 */
final class BenchController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BenchController.class);
  private static final String LOOPBACK_NAME = "127.0.0.1";
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  /** Every simulated agent enrols from 127.0.0.1; the default limit would refuse all but 20. */
  private static final String ENROL_RATE = "1000000";

  private final Launch launch;
  private final Path workDir;
  private final List<String> options;
  private ControllerProcess process;

  private BenchController(
      Launch launch, Path workDir, List<String> options, ControllerProcess process) {
    this.launch = launch;
    this.workDir = workDir;
    this.options = options;
    this.process = process;
  }

  /** Starts {@code serve} on 127.0.0.1, port 0, and waits until it serves. */
  static BenchController start(Path controllerJar, Transport transport)
      throws IOException, InterruptedException {
    Launch launch = Launch.jar(controllerJar);
    Path workDir = Files.createTempDirectory("pulley-bench-");
    try {
      Files.createDirectory(workDir.resolve("data"));
      List<String> options = new ArrayList<>();
      options.addAll(List.of("--metrics-listen", LOOPBACK_NAME + ":" + freePort()));
      options.addAll(
          transport == Transport.MTLS
              ? List.of("--enrol-rate-per-minute", ENROL_RATE)
              : List.of("--insecure"));
      ControllerProcess process = startProcess(launch, workDir, 0, options);
      return new BenchController(launch, workDir, List.copyOf(options), process);
    } catch (IOException | InterruptedException | RuntimeException e) {
      deleteRecursively(workDir);
      throw e;
    }
  }

  /**
   * Stops the controller as systemd would (SIGTERM) and starts it again on the same data directory
   * and port; returns once it serves again.
   */
  void restart() throws IOException, InterruptedException {
    int port = process.port();
    process.close();
    process = startProcess(launch, workDir, port, options);
  }

  long pid() {
    return process.pid();
  }

  /** Where the controller keeps its store, CA and first admin token. */
  Path dataDir() {
    return workDir.resolve("data");
  }

  /** The Prometheus endpoint, http://127.0.0.1:PORT/metrics. */
  URI metrics() {
    int at = options.indexOf("--metrics-listen");
    return URI.create("http://" + options.get(at + 1) + "/metrics");
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

  private static ControllerProcess startProcess(
      Launch launch, Path workDir, int port, List<String> options)
      throws IOException, InterruptedException {
    ControllerProcess process =
        ControllerProcess.start(
            launch,
            workDir.resolve("data"),
            LOOPBACK_NAME,
            port,
            workDir.resolve("controller.log"),
            options);
    LOG.info("event=controller_started pid={} port={}", process.pid(), process.port());
    return process;
  }

  /** A port free now; the controller binds it a moment later (a race we accept in a benchmark). */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(LOOPBACK))) {
      return socket.getLocalPort();
    }
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
