package io.pulley.controller.bench;

import java.time.Duration;

/**
 * How the controller learns of a pushed tag: a signed push webhook (with polling too slow to
 * matter), or polling alone every {@code interval}.
 */
record TrackingMode(String name, boolean webhook, Duration interval) {
  // Long enough that no poll lands inside a webhook run: every revision is the webhook's doing.
  private static final Duration POLL_BESIDE_WEBHOOK = Duration.ofHours(1);

  static TrackingMode viaWebhook() {
    return new TrackingMode("webhook", true, POLL_BESIDE_WEBHOOK);
  }

  static TrackingMode pollingEvery(int seconds) {
    return new TrackingMode("polling " + seconds + " s", false, Duration.ofSeconds(seconds));
  }

  /** The words the controller puts in a tracked revision's trigger for this mode. */
  String seenBy() {
    return webhook ? "seen by the GitHub webhook" : "seen by polling";
  }
}
