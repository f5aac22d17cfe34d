package io.pulley.agent.apply.handover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UwsgiStatsTest {
  // Trimmed from uWSGI 2.0.21's stats socket: tabs and newlines as it writes them.
  private static final String STATS =
      "{\n\t\"version\":\"2.0.21-debian\",\n\t\"listen_queue\":%d,\n\t\"workers\":[\n"
          + "\t\t{\"id\":1,\"status\":\"busy\",\"cores\":[\n"
          + "\t\t\t{\"id\":0,\"requests\":57901,\"in_request\":%d,\"vars\":[\"HTTP_COOKIE=s\"]},\n"
          + "\t\t\t{\"id\":1,\"requests\":12,\"in_request\":0,\"vars\":[]}]},\n"
          + "\t\t{\"id\":2,\"status\":\"idle\",\"cores\":[\n"
          + "\t\t\t{\"id\":0,\"requests\":3,\"in_request\":%d,\"vars\":[]}]}\n\t]\n}";

  @Test
  void parse_countsCoresInARequest_andTheListenQueue() {
    assertThat(UwsgiStats.parse(STATS.formatted(3, 1, 1))).isEqualTo(new UwsgiStats.Load(2, 3));
    assertThat(UwsgiStats.parse(STATS.formatted(0, 0, 0)).idle()).isTrue();
    assertThat(UwsgiStats.parse(STATS.formatted(1, 0, 0)).idle()).isFalse();
  }

  @Test
  void parse_somethingElse_isRefused() {
    assertThatThrownBy(() -> UwsgiStats.parse("{}")).isInstanceOf(IllegalArgumentException.class);
  }
}
