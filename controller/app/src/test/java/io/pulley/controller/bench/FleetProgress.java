package io.pulley.controller.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulated agents have reached, counted locally in the load generator. Thread-safe; each
 * agent reports its own events in order.
 */
final class FleetProgress {
  static final long NOT_ARRIVED = Long.MIN_VALUE;

  private final AtomicLongArray newPlanAt;
  private final AtomicLongArray pollInFlightSince;
  private final AtomicLongArray reattachedAt;
  private final Map<String, LongAdder> failureReasons = new ConcurrentHashMap<>();
  private volatile long restartedAt = Long.MAX_VALUE;
  private final CountDownLatch allHeld;
  private final CountDownLatch allSettled;
  private final AtomicInteger heldNow = new AtomicInteger();
  private final AtomicInteger pollErrors = new AtomicInteger();
  private final AtomicInteger gaveUp = new AtomicInteger();

  FleetProgress(int agents) {
    if (agents <= 0) {
      throw new IllegalArgumentException("agents must be positive: " + agents);
    }
    newPlanAt = new AtomicLongArray(agents);
    pollInFlightSince = new AtomicLongArray(agents);
    reattachedAt = new AtomicLongArray(agents);
    for (int i = 0; i < agents; i++) {
      newPlanAt.set(i, NOT_ARRIVED);
      pollInFlightSince.set(i, NOT_ARRIVED);
      reattachedAt.set(i, NOT_ARRIVED);
    }
    allHeld = new CountDownLatch(agents);
    allSettled = new CountDownLatch(agents);
  }

  /** An agent sent a poll carrying its applied plan id, which the controller should hold. */
  void pollHeld(boolean firstTime) {
    heldNow.incrementAndGet();
    if (firstTime) {
      allHeld.countDown();
    }
  }

  /** The agent with this index sent a poll at {@code nanoTime}. */
  void pollSent(int index, long nanoTime) {
    pollInFlightSince.set(index, nanoTime);
  }

  /** The agent's poll came back, answered or failed. */
  void pollEnded(int index) {
    pollInFlightSince.set(index, NOT_ARRIVED);
  }

  /** From now on, the first answered poll each agent sent after {@code nanoTime} counts. */
  void restarted(long nanoTime) {
    restartedAt = nanoTime;
  }

  /** The agent's poll sent at {@code sentAt} was answered. */
  void pollAnswered(int index, long sentAt) {
    if (sentAt >= restartedAt) {
      reattachedAt.compareAndSet(index, NOT_ARRIVED, sentAt);
    }
  }

  /** Why polls failed ("UNAVAILABLE: io exception"), counted. */
  void pollFailed(String reason) {
    pollErrors.incrementAndGet();
    failureReasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** The most frequent reasons polls failed, most frequent first, with their counts. */
  String topFailureReasons(int limit) {
    return failureReasons.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
        .limit(limit)
        .map(e -> e.getValue().sum() + "× " + e.getKey())
        .reduce((a, b) -> a + "; " + b)
        .orElse("none");
  }

  /**
   * When each agent sent its first poll after {@link #restarted} that the new controller took:
   * answered, or still in flight (held) now; {@link #NOT_ARRIVED} for an agent with neither.
   */
  long[] reattachedAt() {
    long since = restartedAt;
    long[] copy = new long[reattachedAt.length()];
    for (int i = 0; i < copy.length; i++) {
      long answered = reattachedAt.get(i);
      long inFlight = pollInFlightSince.get(i);
      copy[i] = answered != NOT_ARRIVED ? answered : inFlight >= since ? inFlight : NOT_ARRIVED;
    }
    return copy;
  }

  /** A held poll came back (answered or failed). */
  void heldPollReturned() {
    heldNow.decrementAndGet();
  }

  /** The agent with this index got the benchmark's plan at {@code nanoTime}. */
  void newPlanArrived(int index, long nanoTime) {
    if (newPlanAt.compareAndSet(index, NOT_ARRIVED, nanoTime)) {
      allSettled.countDown();
    }
  }

  /** The agent stopped after too many failed polls; nothing more will come from it. */
  void agentGaveUp(int index, boolean wasHeld) {
    gaveUp.incrementAndGet();
    if (!wasHeld) {
      allHeld.countDown();
    }
    if (newPlanAt.get(index) == NOT_ARRIVED) {
      allSettled.countDown();
    }
  }

  /** True once every agent has had a poll held (or gave up) within the timeout. */
  boolean awaitAllHeld(Duration timeout) throws InterruptedException {
    return allHeld.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** True once every agent has the new plan (or gave up) within the timeout. */
  boolean awaitAllSettled(Duration timeout) throws InterruptedException {
    return allSettled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  long[] newPlanArrivals() {
    long[] copy = new long[newPlanAt.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = newPlanAt.get(i);
    }
    return copy;
  }

  /**
   * When each agent sent the poll it has in flight now, or {@link #NOT_ARRIVED} if it has none (it
   * is backing off). Once the controller holds every agent's poll, this is when each re-attached.
   */
  long[] pollsInFlightSince() {
    long[] copy = new long[pollInFlightSince.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = pollInFlightSince.get(i);
    }
    return copy;
  }

  int heldNow() {
    return heldNow.get();
  }

  int pollErrors() {
    return pollErrors.get();
  }

  int gaveUp() {
    return gaveUp.get();
  }
}
