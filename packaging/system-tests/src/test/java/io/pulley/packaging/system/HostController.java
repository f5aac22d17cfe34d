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
 * it, run from the built jar as a child process; and the `pulley` CLI pointed at it, logged in as
 * the first admin. Everything goes over mutual TLS, as on a real network: servers enrol with tokens
 * from {@link #invite}.
 */
final class HostController implements AutoCloseable {
  private final ControllerProcess process;
  private final Path dataDir;
  private final Path cliConfig;

  private HostController(ControllerProcess process, Path dataDir, Path cliConfig) {
    this.process = process;
    this.dataDir = dataDir;
    this.cliConfig = cliConfig;
  }

  static HostController start(String listenAddress, Path workDir)
      throws IOException, InterruptedException {
    return start(listenAddress, workDir, List.of());
  }

  /** As {@link #start(String, Path)}, with more options for `serve`. */
  static HostController start(String listenAddress, Path workDir, List<String> serveOptions)
      throws IOException, InterruptedException {
    return start(listenAddress, workDir, serveOptions, List.of());
  }

  /**
   * As above, the controller's JVM started with {@code jvmOptions} too (a trust store for a Git
   * server's certificate, as an admin adds a CA to the controller host).
   */
  static HostController start(
      String listenAddress, Path workDir, List<String> serveOptions, List<String> jvmOptions)
      throws IOException, InterruptedException {
    Path dataDir = workDir.resolve("controller");
    List<String> launch = new ArrayList<>(Launch.jar(Artifacts.controllerJar()).command());
    launch.addAll(1, jvmOptions);
    HostController controller =
        new HostController(
            ControllerProcess.start(
                new Launch(launch),
                dataDir,
                listenAddress,
                0,
                workDir.resolve("controller.log"),
                serveOptions),
            dataDir,
            workDir.resolve("cli-config"));
    try {
      controller.login();
    } catch (IOException | InterruptedException | RuntimeException e) {
      controller.close();
      throw e;
    }
    return controller;
  }

  /** `pulley login` with the token the controller wrote for its first admin. */
  private void login() throws IOException, InterruptedException {
    Cli login = pulley("login", "--token-file", dataDir.resolve("initial-admin-token").toString());
    if (login.exitCode() != 0) {
      throw new IllegalStateException("cannot log in to the controller: " + login);
    }
  }

  /** A one-use token that enrols a server with label role=ROLE, and the address it dials. */
  Invitation invite(String role) throws IOException, InterruptedException {
    Cli token =
        pulley(
            "-o",
            "json",
            "token",
            "create",
            "--label",
            "role=" + role,
            "--uses",
            "1",
            "--expires",
            "1h",
            "--description",
            "system test");
    return new Invitation(address(), Invitation.tokenFromJson(token.out(), token.toString()));
  }

  String address() {
    return process.address();
  }

  /** The controller's own CA certificate, which issued the certificate it serves (PEM). */
  Path caCertificate() {
    return dataDir.resolve("tls").resolve("ca.crt");
  }

  /** Runs `pulley --controller ADDRESS ARGS…` and returns what it printed. */
  Cli pulley(String... args) throws IOException, InterruptedException {
    return pulleyWithInput("", args);
  }

  /** As {@link #pulley}, with {@code input} on its standard input (a secret's value, say). */
  Cli pulleyWithInput(String input, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(Launch.jar(Artifacts.controllerJar()).command());
    // A call lasts seconds, and tests poll with it: C2's compiles would cost a third of its CPU
    // (measured), taken from the servers the test waits on.
    command.add(1, "-XX:TieredStopAtLevel=1");
    command.add("--controller");
    command.add(process.address());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // The CLI keeps its credentials and settings here, never in the home of who runs the tests.
    builder.environment().put("XDG_CONFIG_HOME", cliConfig.toString());
    Process cli = builder.start();
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

  long logSize() throws IOException {
    return process.logSize();
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
