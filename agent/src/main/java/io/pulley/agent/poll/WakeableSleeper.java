package io.pulley.agent.poll;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Sleeps on a latch, so shutdown ends a backoff wait at once. Thread-safe. */
public final class WakeableSleeper implements Sleeper {
  private final CountDownLatch cancelled = new CountDownLatch(1);

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    cancelled.await(duration.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void cancel() {
    cancelled.countDown();
  }
}
