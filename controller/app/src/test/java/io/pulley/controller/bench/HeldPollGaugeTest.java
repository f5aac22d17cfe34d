package io.pulley.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeldPollGaugeTest {
  @Test
  void parse_exposition_readsTheGaugeNotItsHelpOrNeighbours() {
    String exposition =
        """
        # HELP pulley_controller_connected_hosts Agents whose long-poll is being held
        # TYPE pulley_controller_connected_hosts gauge
        pulley_controller_connected_hosts 9998.0
        pulley_controller_connected_hosts_total 3.0
        """;

    assertThat(HeldPollGauge.parse(exposition)).isEqualTo(9998);
  }

  @Test
  void parse_withoutTheGauge_isMinusOne() {
    assertThat(HeldPollGauge.parse("jvm_threads_live_threads 20.0\n")).isEqualTo(-1);
  }
}
