package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.ResourceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent killed with SIGKILL at any point of a whole apply, then restarted as systemd restarts
 * it, converges to a correct server. The first release is live; the apply of the second (new code,
 * a new module, changed settings) runs through the real {@link Applier} and executors in a process
 * of its own, killed at every step (a seeded delay into it) and at seeded random times over the
 * apply's measured duration. After each kill the restarted apply must say what it resumes and
 * succeed, one more apply must change nothing, and the live release must be whole ({@link
 * CrashSweepChecks}); then the server is put back as it was before the kill.
 *
 * <p>Short in the build: every step once and {@value #RANDOM_DEFAULT} random points. The full
 * sweep, a benchmark: {@code -Dpulley.crashSweep.random=40} (and {@code .stepRounds}, {@code
 * .seed}).
 */
class ApplyCrashSweepTest {
  static final int RANDOM_DEFAULT = 1;
  private static final long SEED = Long.getLong("pulley.crashSweep.seed", 20261206L);
  private static final int RANDOM = Integer.getInteger("pulley.crashSweep.random", RANDOM_DEFAULT);
  private static final int STEP_ROUNDS = Integer.getInteger("pulley.crashSweep.stepRounds", 1);

  @TempDir Path dir;

  @Test
  void killedAtEveryStepAndAtRandomPoints_theRestartedAgentConvergesToAWholeRelease()
      throws Exception {
    long began = System.nanoTime();
    try (CrashSweepServer server = CrashSweepServer.create(dir)) {
      ApplyReport first = server.applyHere(server.first);
      assertThat(first.getOutcome())
          .as("%s", first)
          .isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
      server.snapshot();
      CrashSweepChecks checks =
          new CrashSweepChecks(
              server, CrashSweepChecks.venvFiles(server.release(server.first).resolve("venv")));

      // One apply of the second release, not killed: what every kill must end as, and how long
      // each step and the whole apply take.
      CrashSweepKill.restart(server);
      ApplyReport full = report(server);
      assertThat(full.getOutcome()).as("%s", full).isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
      assertThat(full.hasInterrupted()).isFalse();
      assertThat(checks.of(server.second, server.first)).isEmpty();
      assertThat(converged(server)).isEmpty();
      server.restore();

      Random random = new Random(SEED);
      CrashSweepTally tally = new CrashSweepTally();
      for (int round = 0; round < STEP_ROUNDS; round++) {
        for (int k = 0; k < full.getResultsCount(); k++) {
          long delay = (long) (random.nextDouble() * nanos(full.getResults(k)));
          sweep(server, checks, tally, CrashSweepKill.atStep(server, k, delay));
        }
      }
      long whole = full.getDuration().getSeconds() * 1_000_000_000L + full.getDuration().getNanos();
      for (int n = 0; n < RANDOM; n++) {
        long at = (long) (random.nextDouble() * whole);
        sweep(server, checks, tally, CrashSweepKill.atTime(server, n, at));
      }

      System.out.print(tally.summary(SEED, (System.nanoTime() - began) / 1_000_000));
      assertThat(tally.broken()).as("kills after which the server was not right").isEmpty();
    }
  }

  /** Restarts the killed apply, checks the server, and puts it back as it was before the kill. */
  private static void sweep(
      CrashSweepServer server, CrashSweepChecks checks, CrashSweepTally tally, CrashSweepKill kill)
      throws Exception {
    CrashSweepKill.restart(server);
    ApplyReport resumed = report(server);
    List<String> problems = new ArrayList<>(resumed(server.plan(server.second), resumed, kill));
    problems.addAll(converged(server));
    problems.addAll(checks.of(server.second, server.first));
    tally.record(kill.atStep(), kill.label(), kill.where(), problems);
    server.restore();
  }

  /** What the restarted apply's report must say about the kill. */
  private static List<String> resumed(HostPlan plan, ApplyReport report, CrashSweepKill kill) {
    List<String> problems = new ArrayList<>();
    if (report.getOutcome() != ApplyOutcome.APPLY_OUTCOME_SUCCEEDED) {
      problems.add("the resumed apply failed: " + failures(report));
    }
    if (kill.journal().isEmpty()) {
      if (report.hasInterrupted()) {
        problems.add("an apply that had ended is reported cut short: " + report.getInterrupted());
      }
      return problems;
    }
    int at = CrashSweepPlan.ids(plan).indexOf(report.getInterrupted().getResourceId());
    if (!report.hasInterrupted()
        || !report.getInterrupted().getPlanId().equals(plan.getPlanId())
        || !report.getInterrupted().equals(kill.journal().get())
        || at < kill.atLeast()) {
      problems.add(
          "the resumed report's interrupted is "
              + report.getInterrupted()
              + ", not the journal's "
              + kill.journal().get()
              + " at or after resource "
              + kill.atLeast());
    }
    return problems;
  }

  /** One more apply, in this process: every resource must be unchanged. */
  private static List<String> converged(CrashSweepServer server) {
    ApplyReport again = server.applyHere(server.second);
    List<String> problems = new ArrayList<>();
    for (ResourceResult r : again.getResultsList()) {
      if (r.getOutcome() != ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED) {
        problems.add("then " + r.getResourceId() + " was " + r.getOutcome() + ": " + r.getReason());
      }
    }
    if (again.hasInterrupted()) {
      problems.add("the apply after the resumed one was reported cut short");
    }
    return problems;
  }

  private static String failures(ApplyReport report) {
    return report.getResultsList().stream()
        .filter(r -> r.getOutcome() == ResourceOutcome.RESOURCE_OUTCOME_FAILED)
        .map(r -> r.getResourceId() + ": " + r.getReason() + " " + r.getOutputTail())
        .toList()
        .toString();
  }

  private static ApplyReport report(CrashSweepServer server) throws Exception {
    return ApplyReport.parseFrom(Files.readAllBytes(server.reportFile()));
  }

  private static long nanos(ResourceResult result) {
    return result.getDuration().getSeconds() * 1_000_000_000L + result.getDuration().getNanos();
  }
}
