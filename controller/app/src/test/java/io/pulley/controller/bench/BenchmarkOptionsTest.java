package io.pulley.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

  @Test
  void parse_noArguments_runsThreeFleetSizes() {
    BenchmarkOptions options = BenchmarkOptions.parse(new String[0]);

    assertThat(options.agentCounts()).containsExactly(100, 1_000, 10_000);
    assertThat(options.rampPerSecond()).isEqualTo(1_000);
    assertThat(options.controllerJar())
        .isEqualTo(Path.of("controller", "app", "target", "pulley-controller.jar"));
    assertThat(options.transports()).containsExactly(Transport.PLAINTEXT, Transport.MTLS);
  }

  @Test
  void parse_transportMtls_runsOnlyMutualTls() {
    BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--transport", "mtls"});

    assertThat(options.transports()).containsExactly(Transport.MTLS);
  }

  @Test
  void parse_transportPlaintextInCapitals_runsOnlyPlaintext() {
    BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--transport", "PLAINTEXT"});

    assertThat(options.transports()).containsExactly(Transport.PLAINTEXT);
  }

  @Test
  void parse_transportBoth_runsPlaintextThenMtls() {
    BenchmarkOptions options =
        BenchmarkOptions.parse(new String[] {"--agents", "5", "--transport", "both"});

    assertThat(options.transports()).containsExactly(Transport.PLAINTEXT, Transport.MTLS);
    assertThat(options.agentCounts()).containsExactly(5);
  }

  @Test
  void parse_unknownTransport_failsNamingTheChoices() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--transport", "tls"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"tls\"")
        .hasMessageContaining("mtls, plaintext or both");
  }

  @Test
  void parse_transportWithoutValue_failsNamingTheFlag() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--transport"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing value after --transport");
  }

  @Test
  void parse_repeatedAgents_keepsTheirOrder() {
    BenchmarkOptions options =
        BenchmarkOptions.parse(
            new String[] {"--agents", "10,000", "--agents", "5", "--ramp-per-second", "600"});

    assertThat(options.agentCounts()).containsExactly(10_000, 5);
    assertThat(options.rampPerSecond()).isEqualTo(600);
  }

  @Test
  void parse_unknownOption_failsNamingIt() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--agent", "5"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--agent");
  }

  @Test
  void parse_tooManyAgents_failsWithTheValue() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--agents", "99999"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99999");
  }
}
