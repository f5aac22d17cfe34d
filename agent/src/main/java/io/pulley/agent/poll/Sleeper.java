package io.pulley.agent.poll;

import java.time.Duration;

/**
 * Waits between retries; the seam that keeps unit tests from sleeping. Implementations are
 * thread-safe: {@link #cancel} is called from another thread than {@link #sleep}.
 */
public interface Sleeper {

  /** Waits for {@code duration}, or less once {@link #cancel} was called. */
  void sleep(Duration duration) throws InterruptedException;

  /** Ends the current wait and makes every later one return at once (used on shutdown). */
  void cancel();
}
