package io.pulley.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball for other distributions, unpacked into a temporary directory and run from there. */
class TarballIT {
  @TempDir static Path unpacked;
  @TempDir Path tmp;

  private static Path home;

  @BeforeAll
  static void unpack() {
    Run.of(unpacked, "tar", "-xzf", BuiltPackages.tarball().toString()).assertSucceeded();
    home = unpacked.resolve("pulley-" + BuiltPackages.version());
  }

  @Test
  void tarball_holdsJarsLaunchersConfigurationAndUnits() {
    assertThat(home.resolve("share/pulley/pulley-agent.jar")).isRegularFile();
    assertThat(home.resolve("share/pulley/pulley-agent-apply.jar")).isRegularFile();
    assertThat(home.resolve("share/pulley/pulley-controller.jar")).isRegularFile();
    assertThat(home.resolve("bin/pulley")).isExecutable();
    assertThat(home.resolve("bin/pulley-agent")).isExecutable();
    assertThat(home.resolve("bin/pulley-controller")).isExecutable();
    assertThat(home.resolve("etc/pulley/agent.yaml")).isRegularFile();
    assertThat(home.resolve("etc/pulley/controller.env")).isRegularFile();
    assertThat(home.resolve("lib/systemd/system/pulley-agent.service")).isRegularFile();
    assertThat(home.resolve("lib/systemd/system/pulley-controller.service")).isRegularFile();
  }

  @Test
  void pulleyLauncher_findsItsJarFromAnyDirectory() {
    Run version = Run.of(tmp, home.resolve("bin/pulley").toString(), "--version");

    assertThat(version.assertSucceeded().output()).startsWith("pulley " + projectVersion());
  }

  @Test
  void agentLauncher_reachedThroughASymlink_findsItsJar() throws IOException {
    Path link =
        Files.createSymbolicLink(tmp.resolve("pulley-agent"), home.resolve("bin/pulley-agent"));

    Run version = Run.of(tmp, link.toString(), "--version");

    assertThat(version.assertSucceeded().output()).startsWith("pulley-agent " + projectVersion());
  }

  @Test
  void agentConfig_everythingCommentedOut_isValid() {
    // Exit status 3 is "controller unreachable": the file parsed (a bad file exits with 2).
    // --insecure: without it an agent that was never enrolled needs a token or a pin.
    Run once =
        runAgent(
            "--config",
            home.resolve("etc/pulley/agent.yaml").toString(),
            "--controller",
            "127.0.0.1:1",
            "--data-dir",
            tmp.resolve("agent").toString(),
            "--insecure",
            "--once");

    assertThat(once.exitStatus()).as(once.output()).isEqualTo(3);
  }

  @Test
  void agentWithSmallJvmFlags_pollsAControllerAndShowsUpInHosts() throws Exception {
    Path portFile = tmp.resolve("port");
    Process controller =
        new ProcessBuilder(
                home.resolve("bin/pulley-controller").toString(),
                "serve",
                "--data-dir",
                tmp.resolve("controller").toString(),
                "--listen",
                "127.0.0.1:0",
                "--port-file",
                portFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("controller.log").toFile())
            .start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(portFile));
      String address = "127.0.0.1:" + Files.readString(portFile).trim();

      // As an admin would: log in with the first admin's token, make a token for the host; the
      // agent enrols with it (a file, mode 0600) and then speaks mutual TLS.
      Map<String, String> cli = Map.of("XDG_CONFIG_HOME", tmp.resolve("cli").toString());
      pulley(
              cli,
              "--controller",
              address,
              "login",
              "--token-file",
              tmp.resolve("controller/initial-admin-token").toString())
          .assertSucceeded();
      String created =
          pulley(cli, "-o", "json", "token", "create", "--label", "role=test")
              .assertSucceeded()
              .output();
      Path token = tmp.resolve("agent.token");
      Files.createFile(
          token,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(token, tokenIn(created) + "\n");

      // The launcher's defaults are the unit's flags: a 32 MB heap.
      Run once =
          runAgent(
              "--controller",
              address,
              "--host-id",
              "tarball-test",
              "--data-dir",
              tmp.resolve("agent").toString(),
              "--token-file",
              token.toString(),
              "--once");
      Run hosts = pulley(cli, "hosts");

      assertThat(once.exitStatus()).as(once.output()).isZero();
      assertThat(hosts.assertSucceeded().output()).contains("tarball-test", "role=test");
    } finally {
      controller.destroy();
      controller.waitFor();
    }
  }

  private Run pulley(Map<String, String> env, String... args) {
    List<String> argv = new java.util.ArrayList<>();
    argv.add(home.resolve("bin/pulley").toString());
    argv.addAll(List.of(args));
    return Run.of(tmp, env, Duration.ofMinutes(1), argv);
  }

  private static String tokenIn(String json) {
    String field = "\"token\": \"";
    int start = json.indexOf(field) + field.length();
    return json.substring(start, json.indexOf('"', start));
  }

  private Run runAgent(String... args) {
    List<String> argv = new java.util.ArrayList<>();
    argv.add(home.resolve("bin/pulley-agent").toString());
    argv.addAll(List.of(args));
    return Run.of(tmp, Map.of(), Duration.ofMinutes(1), argv);
  }

  private static String projectVersion() {
    return System.getProperty("pulley.project.version");
  }
}
