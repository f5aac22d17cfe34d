package io.pulley.agent.apply.handover;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Waiting out the requests an instance still holds once the traffic has moved off it: the ones it
 * runs, and the connections nginx queued on its socket before the move, which it accepts only
 * later. Stopping it earlier resets those connections, and nginx answers 502.
 */
final class Drain {
  private static final Duration IDLE_INTERVAL = Duration.ofMillis(200);

  private Drain() {}

  /** Pauses {@code drain_seconds}, for the connections nginx had queued (0: no pause). */
  static void queued(Attempt attempt) throws InterruptedException {
    int seconds = attempt.target().spec().getDrainSeconds();
    if (seconds > 0) {
      attempt.host().pause().pause(Duration.ofSeconds(seconds));
    }
  }

  /**
   * Waits until the instance of {@code stats} serves no request and has none queued, as long as a
   * request may run ({@code request_timeout_seconds}); false if that never came or its stats cannot
   * be read. A timeout of 0 waits for nothing.
   */
  static boolean untilIdle(Attempt attempt, Path stats) throws InterruptedException {
    int timeout = attempt.target().spec().getRequestTimeoutSeconds();
    if (timeout <= 0) {
      return false;
    }
    HandoverHost host = attempt.host();
    Instant end = host.clock().instant().plus(Duration.ofSeconds(timeout));
    while (true) {
      Optional<UwsgiStats.Load> load = host.stats().read(stats);
      if (load.isEmpty()) {
        return false;
      }
      if (load.get().idle()) {
        return true;
      }
      if (!host.clock().instant().isBefore(end)) {
        return false;
      }
      host.pause().pause(IDLE_INTERVAL);
    }
  }
}
