package io.pulley.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsEachUnit() {
    assertThat(Durations.parse("90s", 9)).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("30m", 9)).contains(Duration.ofMinutes(30));
    assertThat(Durations.parse("12h", 9)).contains(Duration.ofHours(12));
    assertThat(Durations.parse("7d", 9)).contains(Duration.ofDays(7));
  }

  @Test
  void refusesWhatIsNotADigitsAndAUnit() {
    for (String text :
        new String[] {"", "s", "7", "7w", "-7d", "+7d", " 7d", "7 d", "1.5h", "٣d"}) {
      assertThat(Durations.parse(text, 9)).as(text).isEmpty();
    }
  }

  @Test
  void refusesMoreDigitsThanAllowed_evenWhenTheyWouldOverflow() {
    assertThat(Durations.parse("1234d", 3)).isEmpty();
    assertThat(Durations.parse("99999999999999999999999d", 9)).isEmpty();
    assertThat(Durations.parse("999999999d", 9)).contains(Duration.ofDays(999_999_999));
    assertThatThrownBy(() -> Durations.parse("1d", 19))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
