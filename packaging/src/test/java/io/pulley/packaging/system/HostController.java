package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A controller on this machine, listening on the test network's host address so that servers reach
 * it, run from the built jar as a child process; and the `pulley` CLI pointed at it.
 */
final class HostController implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final String address;
  private final Path log;

  private HostController(Process process, String address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  static HostController start(String listenAddress, Path workDir)
      throws IOException, InterruptedException {
    return start(listenAddress, workDir, List.of());
  }

  /** As {@link #start(String, Path)}, with more options for `serve`. */
  static HostController start(String listenAddress, Path workDir, List<String> serveOptions)
      throws IOException, InterruptedException {
    Path portFile = workDir.resolve("controller.port");
    Path log = workDir.resolve("controller.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-jar",
                Artifacts.controllerJar().toString(),
                "serve",
                "--data-dir",
                workDir.resolve("controller").toString(),
                "--listen",
                listenAddress + ":0",
                "--port-file",
                portFile.toString()));
    command.addAll(serveOptions);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!Files.exists(portFile)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new IllegalStateException("controller did not start:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    String port = Files.readString(portFile).trim();
    return new HostController(process, listenAddress + ":" + port, log);
  }

  String address() {
    return address;
  }

  /** Runs `pulley --controller ADDRESS ARGS…` and returns what it printed. */
  Cli pulley(String... args) throws IOException, InterruptedException {
    return pulleyWithInput("", args);
  }

  /** As {@link #pulley}, with {@code input} on its standard input (a secret's value, say). */
  Cli pulleyWithInput(String input, String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(java(), "-jar", Artifacts.controllerJar().toString()));
    command.add("--controller");
    command.add(address);
    command.addAll(List.of(args));
    Process cli = new ProcessBuilder(command).start();
    try (var stdin = cli.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!cli.waitFor(60, TimeUnit.SECONDS)) {
      cli.destroyForcibly();
    }
    return new Cli(cli.exitValue(), out, err);
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  record Cli(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
