package io.pulley.controller.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code perMinute} events per peer address in each minute. Thread-safe. Bounded: when more
 * peers than {@link #MAX_PEERS} are tracked, all are forgotten (a flood from many addresses then
 * costs at most one more window each).
 */
final class PeerRateLimit {
  static final int MAX_PEERS = 10_000;
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private final int perMinute;
  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  PeerRateLimit(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("perMinute must be at least 1, got " + perMinute);
    }
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /** Counts one event of {@code peer}; false if it is over the limit. */
  boolean tryAcquire(String peer) {
    Instant now = clock.instant();
    if (windows.size() > MAX_PEERS) {
      windows.clear();
    }
    Window window =
        windows.compute(
            peer,
            (k, w) ->
                w == null || !now.isBefore(w.start.plus(WINDOW))
                    ? new Window(now, 1)
                    : new Window(w.start, w.count + 1));
    return window.count <= perMinute;
  }

  private record Window(Instant start, int count) {}
}
