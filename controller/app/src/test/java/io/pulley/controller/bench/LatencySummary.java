package io.pulley.controller.bench;

import java.util.Arrays;

/**
 * Percentiles of the delay from T0 until each agent held its new plan. Agents that never got it
 * count as infinitely late ({@link #MISSING}), so a percentile never hides them.
 */
record LatencySummary(
    int agents,
    int received,
    long p50Nanos,
    long p90Nanos,
    long p99Nanos,
    long maxNanos,
    int withinOneSecond) {

  static final long MISSING = Long.MAX_VALUE;
  private static final long ONE_SECOND_NANOS = 1_000_000_000L;

  /**
   * @param arrivalNanos System.nanoTime() at which each agent got the plan, or {@link
   *     FleetProgress#NOT_ARRIVED}
   * @param t0Nanos System.nanoTime() just before the new revision was applied
   */
  static LatencySummary of(long[] arrivalNanos, long t0Nanos) {
    if (arrivalNanos.length == 0) {
      throw new IllegalArgumentException("no agents to summarise");
    }
    long[] delays = new long[arrivalNanos.length];
    int received = 0;
    int withinOneSecond = 0;
    for (int i = 0; i < arrivalNanos.length; i++) {
      if (arrivalNanos[i] == FleetProgress.NOT_ARRIVED) {
        delays[i] = MISSING;
        continue;
      }
      delays[i] = Math.max(0, arrivalNanos[i] - t0Nanos);
      received++;
      if (delays[i] <= ONE_SECOND_NANOS) {
        withinOneSecond++;
      }
    }
    Arrays.sort(delays);
    return new LatencySummary(
        delays.length,
        received,
        percentile(delays, 0.50),
        percentile(delays, 0.90),
        percentile(delays, 0.99),
        delays[delays.length - 1],
        withinOneSecond);
  }

  boolean allWithinOneSecond() {
    return withinOneSecond == agents;
  }

  /** Nearest-rank percentile of a sorted array. */
  private static long percentile(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
