package io.pulley.controller.tracking;

import io.pulley.controller.manifest.AppEnv;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The webhook deliveries received lately, by the id each forge gives them, so that a replayed
 * delivery is answered without reading the remote again. Bounded twice: ids older than {@link
 * #WINDOW} are forgotten, and beyond {@link #CAPACITY} the oldest go first. Thread-safe.
 */
final class DeliveryIds {
  /** Forges redeliver within minutes; a replay later than this costs one read more. */
  static final Duration WINDOW = Duration.ofHours(1);

  /** About 1 MiB of ids: far more deliveries an hour than any fleet's pushes. */
  static final int CAPACITY = 10_000;

  /** An id is a UUID or a hex hash; longer text is not an id and is cut to this. */
  static final int MAX_ID_CHARS = 128;

  /** The headers that carry a delivery's id, in the order they are looked for. */
  static final String[] HEADERS = {
    "X-GitHub-Delivery",
    "X-Gitea-Delivery",
    "X-Gogs-Delivery",
    "X-Gitlab-Event-UUID",
    "Idempotency-Key"
  };

  private final Clock clock;
  private final Map<String, Instant> seen = new LinkedHashMap<>();

  DeliveryIds(Clock clock) {
    this.clock = clock;
  }

  /** The delivery's id from its headers, if the forge gave one. */
  static Optional<String> idOf(Function<String, Optional<String>> header) {
    for (String name : HEADERS) {
      Optional<String> id = header.apply(name).map(String::strip).filter(v -> !v.isEmpty());
      if (id.isPresent()) {
        String value = id.get();
        return Optional.of(
            value.length() > MAX_ID_CHARS ? value.substring(0, MAX_ID_CHARS) : value);
      }
    }
    return Optional.empty();
  }

  /** Records delivery {@code id} for {@code app}; false if it was received within the window. */
  synchronized boolean firstTime(AppEnv app, String id) {
    Instant now = clock.instant();
    forgetOld(now);
    return seen.putIfAbsent(app + " " + id, now) == null;
  }

  private void forgetOld(Instant now) {
    Iterator<Map.Entry<String, Instant>> oldest = seen.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<String, Instant> entry = oldest.next();
      if (seen.size() < CAPACITY && !entry.getValue().plus(WINDOW).isBefore(now)) {
        return;
      }
      oldest.remove();
    }
  }
}
