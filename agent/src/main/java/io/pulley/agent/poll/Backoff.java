package io.pulley.agent.poll;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter: the n-th consecutive failure waits a uniformly random time
 * between zero and min(max, initial × 2ⁿ⁻¹), so a fleet that lost its controller does not come back
 * in lockstep. Not thread-safe: owned by the poll loop.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Random random;
  private int failures;

  public Backoff(Duration initial, Duration max, Random random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "need 0 < initial <= max, got initial " + initial + ", max " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** 0.5 s doubling to 30 s. */
  public static Backoff standard(Random random) {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), random);
  }

  /** The wait after one more failure. */
  public Duration next() {
    Duration ceiling = ceiling(failures);
    failures++;
    return Duration.ofNanos((long) (random.nextDouble() * ceiling.toNanos()));
  }

  /** The upper bound of the wait after {@code previousFailures} failures, before jitter. */
  Duration ceiling(int previousFailures) {
    int shift = Math.min(previousFailures, 30);
    long nanos = initial.toNanos() << shift;
    return nanos <= 0 || nanos > max.toNanos() ? max : Duration.ofNanos(nanos);
  }

  public void reset() {
    failures = 0;
  }
}
