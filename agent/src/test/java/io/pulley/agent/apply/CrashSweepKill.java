package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.lite.InterruptedApply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * One SIGKILL of the agent during an apply of the second release, and where it landed as the
 * journal left on disk says.
 *
 * @param label what to run again to repeat it (with the sweep's seed)
 * @param atLeast the index of the first resource the kill can have cut short
 * @param journal the journal the kill left: the apply it cut short, or empty if the apply had ended
 * @param where the resource it cut short (the venv's copy or install told apart), or {@link
 *     #AFTER_END}
 */
record CrashSweepKill(
    String label, boolean atStep, int atLeast, Optional<InterruptedApply> journal, String where) {
  static final String AFTER_END = "after the end";

  /**
   * Kills the apply {@code delayNanos} after it began resource {@code k}: it is held before that
   * resource, and the journal must name it then.
   */
  static CrashSweepKill atStep(CrashSweepServer server, int k, long delayNanos) throws Exception {
    String id = CrashSweepPlan.ids(server.plan(server.second)).get(k);
    CrashSweepAgent agent = start(server, Optional.of(id));
    try {
      assertThat(agent.awaitHeld(server.held())).as("the apply reaches %s", id).isTrue();
      assertThat(server.journal().map(InterruptedApply::getResourceId)).contains(id);
      agent.go();
      LockSupport.parkNanos(delayNanos);
    } finally {
      agent.kill();
    }
    String label = String.format("step %d (%s) + %.1f ms", k, id, delayNanos / 1e6);
    return landed(server, label, true, k);
  }

  /** Kills the apply {@code nanos} after its journal appeared (after it began). */
  static CrashSweepKill atTime(CrashSweepServer server, int n, long nanos) throws Exception {
    List<String> ids = CrashSweepPlan.ids(server.plan(server.second));
    CrashSweepAgent agent = start(server, Optional.empty());
    int atLeast;
    try {
      while (server.journal().isEmpty()) {
        assertThat(agent.isAlive()).as("the apply began").isTrue();
        LockSupport.parkNanos(200_000);
      }
      LockSupport.parkNanos(nanos);
      // Read before the kill: the apply can only have gone further.
      atLeast = server.journal().map(j -> ids.indexOf(j.getResourceId())).orElse(ids.size());
    } finally {
      agent.kill();
    }
    return landed(server, String.format("random %d at %.1f ms", n, nanos / 1e6), false, atLeast);
  }

  /** Runs the apply to its end, as the restarted agent does. */
  static void restart(CrashSweepServer server) throws Exception {
    Files.deleteIfExists(server.reportFile());
    assertThat(start(server, Optional.empty()).await()).as("the apply's exit status").isZero();
  }

  private static CrashSweepAgent start(CrashSweepServer server, Optional<String> holdAt)
      throws Exception {
    Path plan = server.planFile(server.second);
    return CrashSweepAgent.start(server, plan, server.reportFile(), holdAt, server.log());
  }

  private static CrashSweepKill landed(
      CrashSweepServer server, String label, boolean atStep, int atLeast) {
    Optional<InterruptedApply> journal = server.journal();
    String where = journal.map(InterruptedApply::getResourceId).orElse(AFTER_END);
    if (where.equals("venv")) {
      Path release = server.release(server.second);
      where =
          Files.isDirectory(release.resolve(".venv.partial"))
              ? "venv (copy)"
              : Files.exists(release.resolve("venv/.pulley-venv"))
                  ? "venv (marked)"
                  : Files.isDirectory(release.resolve("venv")) ? "venv (install)" : "venv (start)";
    }
    return new CrashSweepKill(label, atStep, atLeast, journal, where);
  }
}
