package io.pulley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A controller in a child JVM, started with the real {@code serve} command: its memory and CPU are
 * its own, and a test can kill it with SIGKILL and start it again on the same data directory and
 * port. A shutdown hook kills it if the test's JVM ends first. Not thread-safe.
 */
public final class ControllerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 50;
  private static final int LOG_TAIL_LINES = 30;

  private final Process process;
  private final Path log;
  private final String host;
  private final int port;
  private final Thread killer;

  private ControllerProcess(Process process, Path log, String host, int port, Thread killer) {
    this.process = process;
    this.log = log;
    this.host = host;
    this.port = port;
    this.killer = killer;
  }

  /**
   * How the controller's main is run: from the built jar, as users run it, or from this JVM's class
   * path, so that a test in the build sees the classes it just compiled.
   */
  public record Launch(List<String> command) {
    public Launch {
      command = List.copyOf(command);
    }

    /** {@code java -jar JAR}: the fat jar users install. */
    public static Launch jar(Path jar) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("controller jar not found: " + jar);
      }
      return new Launch(List.of(java(), "-XX:+UseSerialGC", "-jar", jar.toAbsolutePath() + ""));
    }

    /** {@code java -cp (this class path) MAIN}. */
    public static Launch classPath(String mainClass) {
      return new Launch(
          List.of(
              java(),
              "-XX:+UseSerialGC",
              "-Xmx128m",
              "-cp",
              System.getProperty("java.class.path"),
              mainClass));
    }
  }

  /**
   * Starts {@code serve} on {@code host:port} (port 0 picks one) with the store in {@code dataDir}
   * and its output appended to {@code log}, and returns once it serves (it has written its port).
   * It serves TLS with its own CA unless {@code options} say {@code --insecure}.
   *
   * @param options more options for {@code serve}
   */
  public static ControllerProcess start(
      Launch launch, Path dataDir, String host, int port, Path log, List<String> options)
      throws IOException, InterruptedException {
    Path portFile = dataDir.resolveSibling(dataDir.getFileName() + ".port");
    Files.deleteIfExists(portFile);
    List<String> command = new ArrayList<>(launch.command());
    command.addAll(
        List.of(
            "serve",
            "--data-dir",
            dataDir.toString(),
            "--listen",
            host + ":" + port,
            "--port-file",
            portFile.toString()));
    command.addAll(options);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    Thread killer = new Thread(process::destroyForcibly, "kill-controller-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killer);
    ControllerProcess starting = new ControllerProcess(process, log, host, 0, killer);
    try {
      return new ControllerProcess(process, log, host, starting.awaitPort(portFile), killer);
    } catch (InterruptedException | RuntimeException e) {
      starting.close();
      throw e;
    }
  }

  /**
   * As {@link #start(Launch, Path, String, int, Path, List)}, on loopback and plaintext ({@code
   * --insecure}): for tests of the store and of load, which start their own clients without
   * credentials.
   */
  public static ControllerProcess start(Launch launch, Path dataDir, int port, Path log)
      throws IOException, InterruptedException {
    return start(launch, dataDir, "127.0.0.1", port, log, List.of("--insecure"));
  }

  public int port() {
    return port;
  }

  /** "HOST:PORT", as the CLI's --controller and the agent take it. */
  public String address() {
    return host + ":" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** Everything the controller has printed so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /** How many bytes the controller has logged so far: whether it logged more, without reading. */
  public long logSize() throws IOException {
    return Files.size(log);
  }

  /** Fails with the end of the controller's log if it has exited. */
  public void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "controller exited with status " + process.exitValue() + "; its log ends:\n" + logTail());
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. Returns the exit status. */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    return process.waitFor();
  }

  /** SIGTERM, then SIGKILL if it has not stopped within ten seconds. Idempotent. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
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
  }

  private int awaitPort(Path portFile) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      // The file appears whole (serve renames it into place); an unparsable one is retried anyway.
      int bound = readPort(portFile);
      if (bound > 0) {
        return bound;
      }
      Thread.sleep(POLL_MILLIS);
    }
    throw new IllegalStateException(
        "controller wrote no port within " + START_TIMEOUT + "; its log ends:\n" + logTail());
  }

  /** The port in the file, or 0 if there is none yet. */
  private static int readPort(Path portFile) {
    try {
      int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim());
      return port > 0 && port <= 65_535 ? port : 0;
    } catch (NoSuchFileException | NumberFormatException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
