package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.server.ControllerConfig;
import io.pulley.controller.server.ControllerServer;
import io.pulley.testing.ControllerProcess.Launch;
import io.pulley.testing.JsonText;
import io.pulley.testing.TestRepository;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented way from a plaintext fleet to mutual TLS (docs/security.md): restart the
 * controller without --insecure, give each agent a token instead of `insecure: true`, restart it.
 * The host enrols, keeps its id and its plan, and its application is not deployed again.
 */
class InsecureToMutualTlsUpgradeTest {
  @TempDir Path temp;

  @Test
  void aPlaintextHost_enrolsWithAToken_andKeepsItsDeploymentUntouched() throws Exception {
    Path data = temp.resolve("controller");
    Path root = temp.resolve("srv");
    Path agentData = temp.resolve("agent");
    Path greeting = root.resolve("hello/greeting.txt");
    try (TestRepository repository = TestRepository.create(temp.resolve("repo"))) {
      String manifest = HelloManifest.yaml("hello", root, repository.url(), "Hello");
      Path manifestFile = Files.writeString(temp.resolve("hello.yaml"), manifest);

      // Before: plaintext controller and agent.
      try (LocalController plaintext = LocalController.start(data)) {
        Cli.Result applied = plaintext.cli().run("apply", "-f", manifestFile.toString());
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(agentOnce(plaintext.address(), agentData, root, "--insecure")).isZero();
      }
      assertThat(Files.readString(greeting)).isEqualTo("Hello");
      FileTime deployedAt = Files.getLastModifiedTime(greeting);
      Path release = Files.readSymbolicLink(root.resolve("hello/app/current"));

      // After: the same data dir served over TLS; the host gets a token instead of --insecure.
      try (ControllerServer secure =
          ControllerServer.start(
              ControllerConfig.of(data, new InetSocketAddress("127.0.0.1", 0)),
              new JGitRefResolver(),
              Clock.systemUTC())) {
        String address = "localhost:" + secure.port();
        Cli admin = Cli.withHome(address, temp.resolve("admin-home"));
        Cli.Result login =
            admin.run("login", "--token-file", data.resolve("initial-admin-token").toString());
        assertThat(login.exitCode()).as(login.toString()).isZero();
        Cli.Result token =
            admin.run("-o", "json", "token", "create", "--label", "role=web", "--uses", "1");
        assertThat(token.exitCode()).as(token.toString()).isZero();
        Path tokenFile = temp.resolve("agent.token");
        Files.createFile(
            tokenFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, JsonText.field(token.out(), "token") + "\n");

        assertThat(agentOnce(address, agentData, root, "--token-file", tokenFile.toString()))
            .isZero();

        assertThat(agentData.resolve("tls/key.pem")).isRegularFile();
        Cli.Result hosts = admin.run("hosts");
        assertThat(hosts.out()).as(hosts.toString()).contains("web-1").contains("enrolled");
        // The plan it applied as a plaintext host is the one it should have now: converged.
        Cli.Result json = admin.run("-o", "json", "hosts");
        assertThat(JsonText.field(json.out(), "appliedPlanId"))
            .as(json.out())
            .isEqualTo(JsonText.field(json.out(), "desiredPlanId"));
        Cli.Result status = admin.run("status", "web-1");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        // The access trail says who let the host in, and how.
        Cli.Result audit = admin.run("audit", "--limit", "2");
        assertThat(audit.exitCode()).as(audit.toString()).isZero();
        assertThat(audit.out().lines().skip(1))
            .as(audit.out())
            .satisfiesExactly(
                enrolled -> assertThat(enrolled).contains("host web-1 enrolled, key "),
                created -> assertThat(created).contains("admin admin").contains("host token "));
      }
      assertThat(Files.getLastModifiedTime(greeting)).isEqualTo(deployedAt);
      assertThat(Files.readSymbolicLink(root.resolve("hello/app/current"))).isEqualTo(release);
    }
  }

  /** `pulley-agent --once` as its own process, as systemd would run it; its exit status. */
  private int agentOnce(String controller, Path dataDir, Path root, String... more)
      throws IOException, InterruptedException {
    Path config = Files.writeString(temp.resolve("agent.yaml"), "# all settings are flags\n");
    List<String> command = new ArrayList<>(Launch.classPath("io.pulley.agent.AgentMain").command());
    command.addAll(
        List.of(
            "--config",
            config.toString(),
            "--once",
            "--controller",
            controller,
            "--host-id",
            "web-1",
            "--label",
            "role=web",
            "--data-dir",
            dataDir.toString(),
            "--allowed-root",
            root.toString()));
    command.addAll(List.of(more));
    Path log = temp.resolve("agent.log");
    Process agent =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!agent.waitFor(120, TimeUnit.SECONDS)) {
      agent.destroyForcibly();
      throw new IllegalStateException("the agent did not finish:\n" + Files.readString(log));
    }
    if (agent.exitValue() != 0) {
      System.out.println(Files.readString(log, StandardCharsets.UTF_8));
    }
    return agent.exitValue();
  }
}
