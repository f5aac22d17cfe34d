package io.pulley.controller.grpc;

import io.pulley.controller.metrics.ControllerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every refused call and logs at most one line per peer address and minute, so a peer
 * retrying in a loop cannot fill the disk. Thread-safe and bounded.
 */
final class RefusalLog {
  private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
  private static final Duration QUIET = Duration.ofMinutes(1);
  private static final int MAX_PEERS = 10_000;

  private final ControllerMetrics metrics;
  private final Clock clock;
  private final Map<String, Instant> lastLogged = new ConcurrentHashMap<>();

  RefusalLog(ControllerMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  void refused(String peer, String method, String reason, String message) {
    metrics.callRefused(reason);
    Instant now = clock.instant();
    if (lastLogged.size() > MAX_PEERS) {
      lastLogged.clear();
    }
    Instant previous = lastLogged.get(peer);
    if (previous != null && now.isBefore(previous.plus(QUIET))) {
      return;
    }
    lastLogged.put(peer, now);
    log.warn(
        "refused {} from {}: {} ({}); more from this peer in the next minute are counted only",
        method,
        peer,
        message,
        reason);
  }
}
