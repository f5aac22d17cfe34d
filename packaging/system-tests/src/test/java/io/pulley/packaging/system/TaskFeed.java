package io.pulley.packaging.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Enqueues Celery tasks through the site, a few a second, until stopped: each /enqueue inserts a
 * row and queues a task that works {@code seconds} before marking it done, so that handovers find
 * tasks running and tasks waiting. Remembers the ids the site answered.
 */
final class TaskFeed {
  private static final long INTERVAL_MILLIS = 300;

  private final SiteClient site;
  private final String prefix;
  private final double seconds;
  private final List<String> ids = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Thread thread;

  private TaskFeed(SiteClient site, String prefix, double seconds) {
    this.site = site;
    this.prefix = prefix;
    this.seconds = seconds;
    this.thread = new Thread(this::feed, "task-feed-" + prefix);
  }

  static TaskFeed start(SiteClient site, String prefix, double seconds) {
    TaskFeed feed = new TaskFeed(site, prefix, seconds);
    feed.thread.setDaemon(true);
    feed.thread.start();
    return feed;
  }

  /** Enqueues {@code count} tasks now, one after the other; their ids. */
  static List<String> burst(SiteClient site, String prefix, double seconds, int count)
      throws Exception {
    TaskFeed feed = new TaskFeed(site, prefix, seconds);
    for (int i = 0; i < count; i++) {
      feed.enqueueOne(i);
    }
    return feed.ids();
  }

  private void feed() {
    for (int i = 0; !stopping.get(); i++) {
      try {
        enqueueOne(i);
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // A failed request is in nginx's log, where the proof counts it; no task was queued.
      }
    }
  }

  private void enqueueOne(int i) throws Exception {
    SiteClient.Response r =
        site.get("/enqueue?message=" + prefix + "-" + i + "&seconds=" + seconds);
    if (r.status() == 200 && r.body().strip().matches("\\d+")) {
      synchronized (ids) {
        ids.add(r.body().strip());
      }
    }
  }

  void stop() throws InterruptedException {
    stopping.set(true);
    thread.join(60_000);
  }

  List<String> ids() {
    synchronized (ids) {
      return List.copyOf(ids);
    }
  }
}
