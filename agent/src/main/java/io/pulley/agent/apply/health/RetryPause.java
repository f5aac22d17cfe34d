package io.pulley.agent.apply.health;

import java.time.Duration;

/** Waits between health check attempts; the seam that keeps tests from sleeping. Thread-safe. */
@FunctionalInterface
public interface RetryPause {
  RetryPause SLEEP = duration -> Thread.sleep(duration.toMillis());

  void pause(Duration duration) throws InterruptedException;
}
