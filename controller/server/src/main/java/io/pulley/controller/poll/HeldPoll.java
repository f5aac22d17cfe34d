package io.pulley.controller.poll;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** One poll being held: who asked, with which applied plan, and how to answer. */
final class HeldPoll {
  final String hostId;
  final String appliedPlanId;
  final PollResponder responder;
  final long startNanos;
  volatile ScheduledFuture<?> timeout;
  private final AtomicBoolean answered = new AtomicBoolean();

  HeldPoll(String hostId, String appliedPlanId, PollResponder responder, long startNanos) {
    this.hostId = hostId;
    this.appliedPlanId = appliedPlanId;
    this.responder = responder;
    this.startNanos = startNanos;
  }

  /** Claims the right to answer; true for exactly one caller. */
  boolean markAnswered() {
    return answered.compareAndSet(false, true);
  }

  boolean isAnswered() {
    return answered.get();
  }
}
