package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zero-downtime handover under load on one pristine Debian 13 server, the short version of
 * {@link HandoverBenchmark}: a few handovers between two releases and one release that never gets
 * healthy, under wrk and httperf at once, Celery tasks throughout; then both negative controls. One
 * failed request or one lost task fails the build. Counts, not timings.
 */
class HandoverIT {
  /**
   * Two good handovers (back to v1, then to v2) around the three refused releases: every kind of
   * handover once while the suite runs alone on the machine; the benchmark runs the long sequence.
   */
  private static final HandoverProof.Plan PLAN = new HandoverProof.Plan(2, 1, 8, 30, "per-release");

  private static Path work;
  private static SampleSite sample;

  @BeforeAll
  static void boot() throws Exception {
    work = Files.createTempDirectory("pulley-handover-it");
    sample = SampleSite.start(work, ProcessHandle.current().pid() + "-handover");
  }

  @AfterAll
  static void shutDown() {
    if (sample != null) {
      sample.close();
    }
  }

  @Test
  void handoversUnderLoad_failNoRequest_loseNoTask_whileTheControlsShowTheHarnessSeesFailures()
      throws Exception {
    HandoverProof.Result result = new HandoverProof(sample, work, PLAN).run(true);
    String table = result.table();
    System.out.println(table);

    // Every handover went through; the unhealthy release was refused at the handover, and the
    // release broken behind the site was switched back after its site check, and the agent's
    // reconvergence of that plan held it back rather than switch the traffic to it again.
    assertThat(result.deploys()).hasSize(PLAN.deploys() + 3);
    assertThat(result.deploys().stream().filter(d -> !d.succeeded()))
        .as(table)
        .hasSize(3)
        .allSatisfy(d -> assertThat(d.outcome()).isEqualTo("failed"))
        .anySatisfy(
            d ->
                assertThat(d.label())
                    .startsWith("release broken behind the site")
                    .contains("switched back"))
        .anySatisfy(
            d ->
                assertThat(d.label())
                    .startsWith(HandoverProof.HELD_BACK)
                    .contains("held back since"));
    assertThat(result.succeeded()).as(table).isEqualTo(PLAN.deploys());

    // Not one failed request, from nginx's logs or from either generator.
    assertThat(result.traffic().requests()).as(table).isGreaterThan(1000);
    assertThat(result.traffic().failed()).as(table).isZero();
    assertThat(result.upstreamErrors()).as(table).isEmpty();
    // Not one socket error of either generator: connect, write, timeout, or a kept-alive
    // connection closed before its answer came (wrk's read errors).
    assertThat(result.socketErrors()).as(table).isZero();
    assertThat(result.generators()).allSatisfy(g -> assertThat(g.readErrors()).as(table).isZero());
    assertThat(result.generators()).allSatisfy(g -> assertThat(g.non2xx()).as(g.text()).isZero());
    assertThat(result.clientClosedBeforeStop()).as(table).isZero();

    // The cutover is in the log, and the unhealthy release never answered a request.
    assertThat(result.traffic().versions())
        .as(table)
        .contains("2.0.0")
        .doesNotContain(HandoverProof.BROKEN_VERSION);
    assertThat(result.traffic().cutovers()).as(table).isGreaterThanOrEqualTo(PLAN.deploys());

    // Every task enqueued across the worker handovers ran.
    assertThat(result.tasks().enqueued()).as(table).isGreaterThan(20);
    assertThat(result.tasks().lost()).as(table).isZero();

    // The controls: the naive restart fails requests, the cgroup stop loses tasks.
    assertThat(result.naiveRestart().failed() + result.naiveRestart().socketErrors())
        .as(table)
        .isPositive();
    assertThat(result.cgroupStop().lost()).as(table).isPositive();
  }
}
