package io.pulley.packaging.system;

import io.pulley.testing.ControllerProcess;
import io.pulley.testing.ControllerProcess.Launch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A controller on this machine, listening on the test network's host address so that servers reach
 * it, run from the built jar as a child process; and the `pulley` CLI pointed at it.
 */
final class HostController implements AutoCloseable {
  private final ControllerProcess process;

  private HostController(ControllerProcess process) {
    this.process = process;
  }

  static HostController start(String listenAddress, Path workDir)
      throws IOException, InterruptedException {
    return start(listenAddress, workDir, List.of());
  }

  /** As {@link #start(String, Path)}, with more options for `serve`. */
  static HostController start(String listenAddress, Path workDir, List<String> serveOptions)
      throws IOException, InterruptedException {
    return new HostController(
        ControllerProcess.start(
            Launch.jar(Artifacts.controllerJar()),
            workDir.resolve("controller"),
            listenAddress,
            0,
            workDir.resolve("controller.log"),
            serveOptions));
  }

  String address() {
    return process.address();
  }

  /** Runs `pulley --controller ADDRESS ARGS…` and returns what it printed. */
  Cli pulley(String... args) throws IOException, InterruptedException {
    return pulleyWithInput("", args);
  }

  /** As {@link #pulley}, with {@code input} on its standard input (a secret's value, say). */
  Cli pulleyWithInput(String input, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(Launch.jar(Artifacts.controllerJar()).command());
    command.add("--controller");
    command.add(process.address());
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
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }

  record Cli(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
