package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.util.List;

/**
 * The Celery negative control: SIGTERM to the live worker's whole control group (what systemd's
 * default KillMode and supervisor's stopasgroup do), while tasks run. The pool's children die with
 * their tasks, which were acknowledged when they started: those tasks are lost. The handover
 * signals the main process only, which lets them finish.
 */
final class CgroupStop {
  private static final int TASKS = 6;
  private static final double TASK_SECONDS = 3;

  private CgroupStop() {}

  static TaskCount run(SampleSite sample, PristineServer server, String name) throws Exception {
    String worker = liveWorker(sample, name);
    List<String> ids =
        TaskFeed.burst(sample.site(HandoverProof.DOMAIN), "cgroup", TASK_SECONDS, TASKS);
    Thread.sleep(1500); // the first tasks are running
    server.execOrThrow("systemctl", "kill", "--kill-whom=all", "--signal=SIGTERM", worker);
    while (server.exec("systemctl", "is-active", "--quiet", worker).ok()) {
      Thread.sleep(200);
    }
    server.exec("systemctl", "reset-failed", worker);
    server.execOrThrow("systemctl", "start", worker);
    return TaskCount.await(sample, ids, Duration.ofMinutes(2));
  }

  private static String liveWorker(SampleSite sample, String name) {
    List<String> workers = sample.runningUnits(name + "-celery-worker@*.service");
    if (workers.isEmpty()) {
      throw new IllegalStateException("no worker runs");
    }
    return workers.get(0);
  }
}
