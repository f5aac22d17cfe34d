package io.pulley.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void next_staysWithinDoublingCeilingUpToMax() {
    Backoff backoff = Backoff.standard(new Random(42));
    Duration[] ceilings = {
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30)
    };
    for (Duration ceiling : ceilings) {
      assertThat(backoff.next()).isBetween(Duration.ZERO, ceiling);
    }
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.next()).isBetween(Duration.ZERO, Duration.ofSeconds(30));
    }
  }

  @Test
  void next_isJittered_notAlwaysTheCeiling() {
    Backoff backoff = Backoff.standard(new Random(7));
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    long distinct =
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> backoff.next()).distinct().count();

    assertThat(distinct).isGreaterThan(15);
  }

  @Test
  void next_sameSeed_sameSequence() {
    Backoff a = Backoff.standard(new Random(1));
    Backoff b = Backoff.standard(new Random(1));
    for (int i = 0; i < 10; i++) {
      assertThat(a.next()).isEqualTo(b.next());
    }
  }

  @Test
  void reset_startsFromTheInitialCeilingAgain() {
    Backoff backoff = Backoff.standard(new Random(3));
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    backoff.reset();

    assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void ceiling_manyFailures_doesNotOverflow() {
    Backoff backoff = Backoff.standard(new Random(3));

    assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void constructor_maxBelowInitial_failsWithValues() {
    assertThatThrownBy(
            () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .hasMessageContaining("PT2S")
        .hasMessageContaining("PT1S");
  }
}
