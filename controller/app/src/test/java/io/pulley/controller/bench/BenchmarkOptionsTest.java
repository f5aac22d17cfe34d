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
