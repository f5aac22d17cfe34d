package io.pulley.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencySummaryTest {
  private static final long MS = 1_000_000L;

  @Test
  void of_hundredArrivals_takesNearestRankPercentiles() {
    long t0 = 5_000 * MS;
    long[] arrivals = new long[100];
    for (int i = 0; i < arrivals.length; i++) {
      arrivals[i] = t0 + (100 - i) * 20 * MS; // 20 ms .. 2000 ms, in reverse order
    }

    LatencySummary summary = LatencySummary.of(arrivals, t0);

    assertThat(summary.p50Nanos()).isEqualTo(1_000 * MS);
    assertThat(summary.p90Nanos()).isEqualTo(1_800 * MS);
    assertThat(summary.p99Nanos()).isEqualTo(1_980 * MS);
    assertThat(summary.maxNanos()).isEqualTo(2_000 * MS);
    assertThat(summary.withinOneSecond()).isEqualTo(50);
    assertThat(summary.allWithinOneSecond()).isFalse();
  }

  @Test
  void of_agentWithoutPlan_countsAsMissingNotAsFast() {
    long[] arrivals = {10 * MS, FleetProgress.NOT_ARRIVED};

    LatencySummary summary = LatencySummary.of(arrivals, 0);

    assertThat(summary.received()).isEqualTo(1);
    assertThat(summary.maxNanos()).isEqualTo(LatencySummary.MISSING);
    assertThat(summary.withinOneSecond()).isEqualTo(1);
  }
}
