package io.pulley.agent.poll;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records each backoff wait instead of sleeping it; returns at once or, once told to, when
 * cancelled. Thread-safe.
 */
final class RecordingSleeper implements Sleeper {
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private volatile boolean blockUntilCancelled;

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    waits.add(duration);
    entered.countDown();
    if (blockUntilCancelled) {
      cancelled.await();
    }
  }

  @Override
  public void cancel() {
    cancelled.countDown();
  }

  /** Makes every later wait last until {@link #cancel}, as a real wait would outlast a test. */
  void blockUntilCancelled() {
    blockUntilCancelled = true;
  }

  /** Whether a wait began within five seconds. */
  boolean awaitFirstWait() throws InterruptedException {
    return entered.await(5, TimeUnit.SECONDS);
  }

  List<Duration> waits() {
    return List.copyOf(waits);
  }
}
