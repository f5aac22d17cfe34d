package io.pulley.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntervalTest {

  @Test
  void readsSecondsAndEachUnit() {
    assertThat(Interval.parse("1800")).isEqualTo(Duration.ofSeconds(1800));
    assertThat(Interval.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Interval.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(Interval.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Interval.parse(" 0 ")).isZero();
    assertThat(Interval.parse("999999999h")).isEqualTo(Duration.ofHours(999_999_999));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "m",
        "s",
        "-5",
        "+5",
        "5d",
        "5 m",
        "5ms",
        "1234567890",
        "1.5h",
        "٣m",
        "５"
      })
  void refusesAnythingElseNamingTheText(String text) {
    assertThatThrownBy(() -> Interval.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is not an interval");
  }
}
