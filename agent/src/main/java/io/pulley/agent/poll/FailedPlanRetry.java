package io.pulley.agent.poll;

import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

/**
 * How long after a failed apply the plan is tried again: {@link #FIRST} after its first failure,
 * twice as long after each further failure of the same plan, at most {@link #MAX}. A passing
 * failure (a Git remote briefly down) heals within minutes, and one that needs an admin costs a few
 * tries an hour, each a whole apply (a fetch from the remote, every resource checked) across a
 * fleet that may have failed together. (A release whose site failed with the traffic is not
 * switched to again by a retry: the handover holds it back.) Each wait gets up to a fifth more at
 * random, so that a fleet that failed together (one remote for every host) does not retry in step.
 * Counts are kept in memory: after the agent restarts, the count starts again at the first failure.
 * Not thread-safe: owned by the poll loop.
 */
public final class FailedPlanRetry {
  static final Duration FIRST = Duration.ofMinutes(5);
  static final Duration MAX = Duration.ofMinutes(30);

  /** The most the random part adds, as a fraction of the wait. */
  static final double JITTER = 0.2;

  private final Random random;
  private String planId = "";
  private int failures;
  private Duration wait;

  FailedPlanRetry(Random random) {
    this.random = random;
  }

  /** Counts the outcome of an apply of {@code planId}. */
  void applied(String planId, ApplyReport report) {
    if (report.getOutcome() != ApplyOutcome.APPLY_OUTCOME_FAILED) {
      failures = 0;
      wait = null;
    } else {
      failures = planId.equals(this.planId) ? failures + 1 : 1;
      wait = jittered(ceiling(failures));
    }
    this.planId = planId;
  }

  /**
   * The wait after the last failure. A failure this agent did not count (it failed before a
   * restart) waits as a first one.
   */
  Duration after() {
    if (wait == null) {
      wait = jittered(ceiling(1));
    }
    return wait;
  }

  /**
   * Whether the failed plan should be tried again now: a failure may be passing, and polling as if
   * nothing were applied makes the controller send the plan again.
   */
  boolean due(ApplyReport last, Instant now) {
    Optional<Instant> at = ReconvergeSchedule.retryAt(last, after());
    return at.isPresent() && !now.isBefore(at.get());
  }

  /** The wait after the {@code failures}-th failure in a row, before the random part. */
  static Duration ceiling(int failures) {
    int doublings = Math.min(Math.max(failures, 1) - 1, 16);
    Duration doubled = FIRST.multipliedBy(1L << doublings);
    return doubled.compareTo(MAX) > 0 ? MAX : doubled;
  }

  /** The longest wait after the {@code failures}-th failure, random part included. */
  public static Duration longest(int failures) {
    return ceiling(failures).plusMillis((long) Math.ceil(ceiling(failures).toMillis() * JITTER));
  }

  private Duration jittered(Duration base) {
    return base.plusMillis((long) (random.nextDouble() * JITTER * base.toMillis()));
  }
}
