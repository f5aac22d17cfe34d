package io.pulley.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.agent.config.AgentConfig;
import io.pulley.agent.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentMainTest {
  @TempDir Path dir;

  private AgentConfig config(String... args) throws Exception {
    CommandLine cli = AgentMain.commandLine();
    cli.parseArgs(args);
    AgentMain main = cli.getCommand();
    return main.config("the-hostname");
  }

  /** {@code --once} against a port where nothing listens. */
  private int onceAgainstNobody(Path file, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--config",
                file.toString(),
                "--controller",
                "127.0.0.1:1",
                "--data-dir",
                dir.resolve("data").toString(),
                "--once"));
    args.addAll(List.of(more));
    return AgentMain.commandLine().execute(args.toArray(String[]::new));
  }

  @Test
  void flags_overrideTheFile() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("agent.yaml"),
            "controller: file:1\nhost_id: from-file\nlabels:\n  env: staging\n  role: web\n");

    AgentConfig config =
        config(
            "--config", file.toString(),
            "--controller", "flag:2",
            "--label", "env=production",
            "--allowed-root", "/srv",
            "--data-dir", dir.toString());

    assertThat(config.controller()).isEqualTo("flag:2");
    assertThat(config.hostId()).isEqualTo("from-file");
    assertThat(config.labels()).isEqualTo(Map.of("env", "production", "role", "web"));
    assertThat(config.allowedRoots()).containsExactly(Path.of("/srv"));
    assertThat(config.dataDir()).isEqualTo(dir);
  }

  @Test
  void reconvergeIntervalFlag_overridesTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "reconverge_interval: 1h\n");

    AgentConfig config = config("--config", file.toString(), "--reconverge-interval", "0");

    assertThat(config.reconvergeInterval()).isZero();
  }

  @Test
  void noFileGiven_defaultsWhenTheDefaultPathIsMissing() throws Exception {
    AgentConfig config =
        config("--config", Files.writeString(dir.resolve("a.yaml"), "").toString());

    assertThat(config.hostId()).isEqualTo("the-hostname");
    assertThat(config.controller()).isEqualTo("127.0.0.1:7400");
  }

  @Test
  void execute_missingExplicitConfig_exitsWithUsageError() {
    int status =
        AgentMain.commandLine()
            .execute("--config", dir.resolve("missing.yaml").toString(), "--once");

    assertThat(status).isEqualTo(AgentMain.USAGE);
  }

  @Test
  void execute_unknownFlag_exitsWithUsageError() {
    assertThat(AgentMain.commandLine().execute("--bogus")).isEqualTo(AgentMain.USAGE);
  }

  @Test
  void execute_once_unreachableController_exits3() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "");

    int status = onceAgainstNobody(file, "--insecure");

    assertThat(status).isEqualTo(AgentMain.UNREACHABLE);
  }

  @Test
  void execute_once_notEnrolledAndUnreachable_exits3() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "ca_pin: " + "ab".repeat(32) + "\n");

    int status = onceAgainstNobody(file);

    assertThat(status).isEqualTo(AgentMain.UNREACHABLE);
    assertThat(dir.resolve("data/tls/key.pem")).exists(); // kept for the next attempt
  }

  @Test
  void execute_notEnrolled_noTokenNoPin_isAConfigError() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "");

    int status =
        AgentMain.commandLine()
            .execute(
                "--config",
                file.toString(),
                "--token-file",
                dir.resolve("missing.token").toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--once");

    assertThat(status).isEqualTo(AgentMain.USAGE);
  }

  @Test
  void tokenFlag_isRefusedWithoutRepeatingTheToken() {
    assertThatThrownBy(() -> config("--token", "pulley1:secret-value"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--token-file")
        .hasMessageNotContaining("secret-value");
  }

  @Test
  void tokenFileAndInsecureFlags_overrideTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), "token_file: /etc/other.token\n");

    AgentConfig config =
        config("--config", file.toString(), "--token-file", "/run/t.token", "--insecure");

    assertThat(config.tokenFile()).isEqualTo(Path.of("/run/t.token"));
    assertThat(config.insecure()).isTrue();
  }
}
