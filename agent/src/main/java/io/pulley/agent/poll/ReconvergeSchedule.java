package io.pulley.agent.poll;

import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the current plan is next applied again: after a failure, and although it did not change.
 * Stateless.
 */
final class ReconvergeSchedule {
  /** The shortest poll: a reconvergence due sooner waits this long at most for a new plan. */
  private static final Duration MIN_POLL = Duration.ofSeconds(1);

  private ReconvergeSchedule() {}

  /** {@code interval} after the last apply ended; empty if reconverging is off or none ran. */
  static Optional<Instant> dueAt(Duration interval, ApplyReport last) {
    if (interval.isZero() || last == null) {
      return Optional.empty();
    }
    return Optional.of(finishedAt(last).plus(interval));
  }

  /**
   * The next time a poll should end to act: the reconvergence (if the current plan is applied) or,
   * if sooner, a failed plan's retry — which the poll after it asks for, so only one still to come.
   */
  static Optional<Instant> nextDue(
      Duration interval,
      ApplyReport last,
      boolean appliedPlanIsCurrent,
      Duration retryAfter,
      Instant now) {
    Optional<Instant> due = appliedPlanIsCurrent ? dueAt(interval, last) : Optional.empty();
    Optional<Instant> retry = retryAt(last, retryAfter).filter(now::isBefore);
    if (retry.isPresent() && (due.isEmpty() || retry.get().isBefore(due.get()))) {
      return retry;
    }
    return due;
  }

  /** When a failed last apply is tried again; empty if it did not fail. */
  static Optional<Instant> retryAt(ApplyReport last, Duration after) {
    if (last == null || last.getOutcome() != ApplyOutcome.APPLY_OUTCOME_FAILED) {
      return Optional.empty();
    }
    return Optional.of(finishedAt(last).plus(after));
  }

  static Instant finishedAt(ApplyReport report) {
    return Instant.ofEpochSecond(
            report.getStartedAt().getSeconds(), report.getStartedAt().getNanos())
        .plusSeconds(report.getDuration().getSeconds())
        .plusNanos(report.getDuration().getNanos());
  }

  /**
   * A poll's deadline: {@code longest}, or until {@code due} when that comes sooner (at least a
   * second), so that a reconvergence runs on time rather than when the controller ends its hold.
   */
  static Duration pollDeadline(Duration longest, Optional<Instant> due, Instant now) {
    if (due.isEmpty()) {
      return longest;
    }
    Duration until = Duration.between(now, due.get());
    if (until.compareTo(MIN_POLL) < 0) {
      return MIN_POLL;
    }
    return until.compareTo(longest) < 0 ? until : longest;
  }
}
