package io.pulley.packaging.system;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What became of enqueued Celery tasks, from the task table: done (ran at least once), lost (never
 * ran), run twice (ran more than once: redelivered after a worker died).
 */
record TaskCount(int enqueued, int done, int twice) {
  private static final Duration SETTLED = Duration.ofSeconds(10);

  int lost() {
    return enqueued - done;
  }

  /**
   * Waits until every task ran, or until nothing has moved for a while with the queue empty (the
   * rest are lost), or {@code atMost}; then counts.
   */
  static TaskCount await(SampleSite sample, List<String> ids, Duration atMost) throws Exception {
    Instant end = Instant.now().plus(atMost);
    TaskCount last = count(sample, ids);
    Instant lastChange = Instant.now();
    while (last.done() < ids.size() && Instant.now().isBefore(end)) {
      Thread.sleep(1000);
      TaskCount now = count(sample, ids);
      if (!now.equals(last)) {
        last = now;
        lastChange = Instant.now();
      } else if (Instant.now().isAfter(lastChange.plus(SETTLED)) && queueEmpty(sample)) {
        break;
      }
    }
    return last;
  }

  private static TaskCount count(SampleSite sample, List<String> ids) {
    if (ids.isEmpty()) {
      return new TaskCount(0, 0, 0);
    }
    String out =
        sample.psql(
            "shop_production",
            "select count(*) filter (where runs >= 1), count(*) filter (where runs > 1)"
                + " from task where id in ("
                + String.join(",", ids)
                + ")");
    String[] counts = out.strip().split("\\|");
    return new TaskCount(ids.size(), Integer.parseInt(counts[0]), Integer.parseInt(counts[1]));
  }

  /** Nothing waits in the broker: neither in the queue nor delivered and unacknowledged. */
  private static boolean queueEmpty(SampleSite sample) {
    String queued = sample.server().execOrThrow("redis-cli", "-n", "3", "llen", "celery").stdout();
    String unacked =
        sample.server().execOrThrow("redis-cli", "-n", "3", "hlen", "unacked").stdout();
    return queued.strip().equals("0") && unacked.strip().equals("0");
  }
}
