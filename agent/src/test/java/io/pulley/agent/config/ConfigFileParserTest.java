package io.pulley.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.trust.CaPin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileParserTest {
  @TempDir Path dir;

  private AgentConfig parse(String text) throws IOException, ConfigException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, text);
    AgentConfig.Builder builder = AgentConfig.builder("default-host");
    new ConfigFileParser().parse(file, true, builder);
    return builder.build();
  }

  private void assertError(String text, String expected) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(ConfigException.class)
        .hasMessage(dir.resolve("agent.yaml") + ":" + expected);
  }

  @Test
  void parse_fullFile_setsEverySetting() throws Exception {
    AgentConfig config =
        parse(
            """
            # Pulley agent
            controller: "ctl.example.org:7400"
            host_id: web-1   # trailing comment

            data_dir: '/var/lib/pulley/other'
            metrics_listen: 127.0.0.1:9464
            reconverge_interval: 10m
            labels:
              env: production
              "role": web
            allowed_roots:
              - /srv
              - "/var/www"
            """);

    assertThat(config.controller()).isEqualTo("ctl.example.org:7400");
    assertThat(config.hostId()).isEqualTo("web-1");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/pulley/other"));
    assertThat(config.metricsListen()).isEqualTo("127.0.0.1:9464");
    assertThat(config.reconvergeInterval()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(config.labels()).isEqualTo(Map.of("env", "production", "role", "web"));
    assertThat(config.allowedRoots()).containsExactly(Path.of("/srv"), Path.of("/var/www"));
  }

  @Test
  void parse_metricsListenWithoutAHost_meansLoopback() throws Exception {
    assertThat(parse("metrics_listen: 9464\n").metricsListen()).isEqualTo("127.0.0.1:9464");
    assertThat(parse("metrics_listen: \":9464\"\n").metricsListen()).isEqualTo("127.0.0.1:9464");
    assertThat(parse("metrics_listen: 0.0.0.0:9464\n").metricsListen()).isEqualTo("0.0.0.0:9464");
    assertThat(parse("metrics_listen: \"[::1]:9464\"\n").metricsListen()).isEqualTo("[::1]:9464");
  }

  @Test
  void parse_emptyFile_keepsDefaults() throws Exception {
    AgentConfig config = parse("# nothing\n\n");

    assertThat(config.controller()).isEqualTo("127.0.0.1:7400");
    assertThat(config.hostId()).isEqualTo("default-host");
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/pulley/agent"));
    assertThat(config.allowedRoots()).isEqualTo(AgentConfig.DEFAULT_ALLOWED_ROOTS);
    assertThat(config.metricsListen()).isEmpty();
    assertThat(config.reconvergeInterval()).isEqualTo(java.time.Duration.ofMinutes(30));
    assertThat(config.labels()).isEmpty();
  }

  @Test
  void parse_reconvergeIntervalInSecondsOrZero_isAccepted() throws Exception {
    assertThat(parse("reconverge_interval: 90\n").reconvergeInterval())
        .isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(parse("reconverge_interval: 0\n").reconvergeInterval()).isZero();
  }

  @Test
  void parse_badReconvergeInterval_namesTheLine() {
    assertError(
        "reconverge_interval: soon\n",
        "1: 'soon' is not an interval (seconds, or a number with s, m or h, such as 30m)");
  }

  @Test
  void parse_pollHold_defaultsToFourMinutes_andTakesAnInterval() throws Exception {
    assertThat(parse("").pollHold()).isEqualTo(java.time.Duration.ofMinutes(4));
    assertThat(parse("poll_hold: 90s\n").pollHold()).isEqualTo(java.time.Duration.ofSeconds(90));
  }

  @Test
  void parse_pollHoldOutsideWhatTheControllerGrants_namesTheLineAndTheBounds() {
    assertError("\npoll_hold: 5\n", "2: poll_hold must be between 10s and 600s, got 5s");
    assertError("poll_hold: 11m\n", "1: poll_hold must be between 10s and 600s, got 660s");
  }

  @Test
  void parse_emptyInlineBlocks_clearDefaults() throws Exception {
    AgentConfig config = parse("labels: {}\nallowed_roots: []\n");

    assertThat(config.allowedRoots()).isEmpty();
    assertThat(config.labels()).isEmpty();
  }

  @Test
  void parse_unknownKey_namesLineAndKnownKeys() {
    assertError(
        "controller: a:1\ncolour: blue\n",
        "2: unknown key 'colour' (known keys: controller, host_id, data_dir, labels,"
            + " allowed_roots, metrics_listen, reconverge_interval, poll_hold, token_file, ca_pin,"
            + " insecure)");
  }

  @Test
  void parse_trustKeys_setTokenFilePinAndInsecure() throws Exception {
    String pin = "sha256:" + "ab".repeat(32);
    AgentConfig config = parse("token_file: /etc/pulley/web.token\nca_pin: " + pin + "\n");

    assertThat(config.tokenFile()).isEqualTo(Path.of("/etc/pulley/web.token"));
    assertThat(config.caPin()).contains(CaPin.parse(pin));
    assertThat(config.insecure()).isFalse();
    assertThat(parse("insecure: true\n").insecure()).isTrue();
  }

  @Test
  void parse_defaults_tokenFileInEtcAndTls() throws Exception {
    AgentConfig config = parse("");

    assertThat(config.tokenFile()).isEqualTo(Path.of("/etc/pulley/agent.token"));
    assertThat(config.caPin()).isEmpty();
    assertThat(config.insecure()).isFalse();
  }

  @Test
  void parse_malformedPin_namesLineAndForm() {
    assertError(
        "ca_pin: sha256:XYZ\n",
        "1: ca_pin 'sha256:XYZ': a CA pin is sha256: and 64 lower-case hex digits");
  }

  @Test
  void parse_insecureNotBoolean_isAnError() {
    assertError("insecure: yes\n", "1: expected true or false, got 'yes'");
  }

  @Test
  void parse_relativeTokenFile_isAnError() {
    assertError(
        "token_file: agent.token\n", "1: 'agent.token' is not an absolute, normalised path");
  }

  @Test
  void build_insecureWithPin_isRefused() {
    assertThatThrownBy(
            () ->
                AgentConfig.builder("h").insecure(true).caPin(CaPin.parse("ab".repeat(32))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exclude each other");
  }

  @Test
  void parse_tab_isRejected() {
    assertError("labels:\n\tenv: prod\n", "2: tabs are not allowed; indent with spaces");
  }

  @Test
  void parse_inconsistentIndentation_isRejected() {
    assertError(
        "labels:\n  env: prod\n    role: web\n", "3: bad indentation: expected 2 spaces, got 4");
  }

  @Test
  void parse_indentedLineOutsideBlock_isRejected() {
    assertError(
        "host_id: a\n  extra: b\n",
        "2: unexpected indentation (only items under labels: or allowed_roots:)");
  }

  @Test
  void parse_rootWithoutDash_isRejected() {
    assertError("allowed_roots:\n  /srv\n", "2: expected an indented '- /path' entry");
  }

  @Test
  void parse_relativeRoot_isRejected() {
    assertError("allowed_roots:\n  - srv\n", "2: 'srv' is not an absolute, normalised path");
  }

  @Test
  void parse_duplicateKey_isRejected() {
    assertError("host_id: a\nhost_id: b\n", "2: duplicate key 'host_id'");
  }

  @Test
  void parse_badControllerAddress_isRejected() {
    assertError("controller: nowhere\n", "1: the address must be host:port, got 'nowhere'");
  }

  @Test
  void parse_lineWithoutColon_isRejected() {
    assertError("controller\n", "1: expected 'key: value'");
  }

  @Test
  void parse_unterminatedQuote_isRejected() {
    assertError("host_id: \"web\n", "1: unterminated quoted value");
  }

  @Test
  void parse_missingRequiredFile_isAnError() {
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> new ConfigFileParser().parse(missing, true, AgentConfig.builder("h")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void parse_missingDefaultFile_meansDefaults() throws Exception {
    AgentConfig.Builder builder = AgentConfig.builder("h");
    new ConfigFileParser().parse(dir.resolve("missing.yaml"), false, builder);

    assertThat(builder.build().allowedRoots()).isEqualTo(AgentConfig.DEFAULT_ALLOWED_ROOTS);
  }

  @Test
  void build_relativeAllowedRoot_failsWithValue() {
    assertThatThrownBy(() -> AgentConfig.builder("h").allowedRoots(List.of(Path.of("srv"))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("srv");
  }
}
