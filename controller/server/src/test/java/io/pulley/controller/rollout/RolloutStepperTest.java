package io.pulley.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.HostState;
import io.pulley.v1.HostStep;
import io.pulley.v1.Manifest;
import io.pulley.v1.OfflineHosts;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionRef;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutAction;
import io.pulley.v1.RolloutPolicy;
import io.pulley.v1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rollout's steps against a fleet whose reports the test writes, on a hand-moved clock. */
class RolloutStepperTest {
  private static final List<String> HOSTS = List.of("h1", "h2", "h3");

  private final TestFleet fleet = new TestFleet();
  private Instant now = Instant.parse("2026-12-02T10:00:00Z");
  private Rollout rollout;

  @Test
  void canaryFirst_thenEachBatchAfterTheLastOneBaked() {
    start(policy(1, "1", 60), false);
    step();
    assertSteps(
        HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_WAITING, HostStep.HOST_STEP_WAITING);
    assertThat(pins()).containsExactly(2L, 1L, 1L);

    later(10);
    fleet.reportApplied("h1", 2);
    step();
    assertSteps(HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_WAITING, HostStep.HOST_STEP_WAITING);
    assertThat(rollout.getReason()).isEqualTo("baking batch 1 for 60 s");

    later(59);
    step();
    assertThat(pins()).containsExactly(2L, 1L, 1L);
    later(1);
    step();
    assertSteps(HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_WAITING);

    later(5);
    fleet.reportApplied("h2", 2);
    step();
    later(60);
    step();
    fleet.reportApplied("h3", 2);
    step();
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_RUNNING);
    later(60);
    step();
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_SUCCEEDED);
    assertThat(pins()).containsExactly(2L, 2L, 2L);
    assertThat(Pins.revisionFor(rollout, "new-host")).isEqualTo(2);
  }

  @Test
  void theFirstFailureHalts_theFailedHostGetsItsRevisionBack_andTheOthersNeverStart() {
    start(policy(1, "", 0), false);
    step();
    later(3);
    fleet.reportFailed("h1", 2, "handover", "no healthy answer on /run/shop.sock");
    step();

    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_HALTED);
    assertThat(rollout.getReason())
        .isEqualTo("host h1 failed: handover: no healthy answer on /run/shop.sock");
    assertSteps(HostStep.HOST_STEP_FAILED, HostStep.HOST_STEP_WAITING, HostStep.HOST_STEP_WAITING);
    assertThat(pins()).containsExactly(1L, 1L, 1L);
    later(600);
    step();
    assertSteps(HostStep.HOST_STEP_FAILED, HostStep.HOST_STEP_WAITING, HostStep.HOST_STEP_WAITING);
  }

  @Test
  void resumeAfterAHalt_triesTheFailedHostAgain_andItsOldReportDoesNotCount() {
    start(policy(1, "", 0), false);
    step();
    later(3);
    fleet.reportFailed("h1", 2, "handover", "flaky");
    step();
    later(30);
    control(RolloutAction.ROLLOUT_ACTION_RESUME);
    step();
    assertSteps(
        HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_WAITING, HostStep.HOST_STEP_WAITING);
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_RUNNING);

    later(5);
    fleet.reportApplied("h1", 2);
    step();
    assertSteps(
        HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_DEPLOYING);
  }

  @Test
  void pause_letsRunningHostsFinish_butStartsNoBatch_untilResumed() {
    start(policy(1, "", 0), false);
    step();
    control(RolloutAction.ROLLOUT_ACTION_PAUSE);
    later(5);
    fleet.reportApplied("h1", 2);
    step();
    step();
    assertSteps(HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_WAITING, HostStep.HOST_STEP_WAITING);
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_PAUSED);
    assertThat(RolloutControl.apply(rollout, RolloutAction.ROLLOUT_ACTION_PAUSE, now))
        .isInstanceOf(RolloutControl.Refused.class);

    control(RolloutAction.ROLLOUT_ACTION_RESUME);
    step();
    assertSteps(
        HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_DEPLOYING);
  }

  @Test
  void abort_givesEveryHostItsPreviousRevision_andNewHostsTheStableOne() {
    start(policy(1, "", 0), false);
    step();
    fleet.reportApplied("h1", 2);
    step();
    assertThat(pins()).containsExactly(2L, 2L, 2L);
    control(RolloutAction.ROLLOUT_ACTION_ABORT);
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_ABORTED);
    assertThat(pins()).containsExactly(1L, 1L, 1L);
    assertThat(Pins.revisionFor(rollout, "new-host")).isEqualTo(1);
    assertThat(RolloutControl.apply(rollout, RolloutAction.ROLLOUT_ACTION_RESUME, now))
        .isEqualTo(new RolloutControl.Refused("the rollout of revision 2 has ended (aborted)"));
  }

  @Test
  void anOfflineHostIsReportedAndSkipped_orBlocksTheRolloutWhenThePolicySaysSo() {
    fleet.offline.add("h2");
    start(policy(1, "", 0), false);
    step();
    fleet.reportApplied("h1", 2);
    step();
    fleet.reportApplied("h3", 2);
    step();
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_SUCCEEDED);
    assertSteps(HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_OFFLINE, HostStep.HOST_STEP_LIVE);
    assertThat(rollout.getBatches(1).getHosts(0).getDetail())
        .isEqualTo("offline when batch 2 started");

    fleet.clear();
    start(
        policy(1, "", 0).toBuilder().setOfflineHosts(OfflineHosts.OFFLINE_HOSTS_BLOCK).build(),
        false);
    step();
    fleet.reportApplied("h1", 2);
    step();
    fleet.reportApplied("h3", 2);
    step();
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_RUNNING);
    assertThat(rollout.getReason()).isEqualTo("batch 2 waits for h2");

    fleet.offline.remove("h2");
    later(30);
    step();
    assertSteps(HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_LIVE);
    fleet.reportApplied("h2", 2);
    step();
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_SUCCEEDED);
  }

  @Test
  void aHostThatNeverReportsFailsAfterTheHostTimeout() {
    start(policy(1, "", 0).toBuilder().setHostTimeoutSeconds(120).build(), false);
    step();
    later(119);
    step();
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_RUNNING);
    later(1);
    step();
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_HALTED);
    assertThat(rollout.getReason())
        .isEqualTo("host h1 failed: no report of revision 2 within 120 s");
  }

  @Test
  void withOncePerEnvironmentCommands_theFirstHostSwitchesBeforeTheRestOfTheCanary() {
    start(policy(2, "", 0), false);
    stepWithOnceCommands();
    assertSteps(
        HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_WAITING, HostStep.HOST_STEP_WAITING);
    fleet.reportApplied("h1", 2);
    stepWithOnceCommands();
    assertSteps(HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_WAITING);
  }

  @Test
  void aFailureOfAnotherApplicationOnTheHostIsNotThisRolloutsFailure() {
    start(policy(1, "", 0), false);
    step();
    fleet.put(
        "h1",
        ApplyReport.newBuilder()
            .setOutcome(ApplyOutcome.APPLY_OUTCOME_FAILED)
            .addRevisions(ref(2))
            .addResults(result("shop", ResourceOutcome.RESOURCE_OUTCOME_CHANGED, ""))
            .addResults(result("blog", ResourceOutcome.RESOURCE_OUTCOME_FAILED, "broken")));
    step();
    assertSteps(
        HostStep.HOST_STEP_LIVE, HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_DEPLOYING);
  }

  @Test
  void aRollbackGoesToEveryHostAtOnce() {
    start(policy(1, "1", 600), true);
    step();
    assertSteps(
        HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_DEPLOYING, HostStep.HOST_STEP_DEPLOYING);
  }

  private void start(RolloutPolicy policy, boolean immediate) {
    Revision revision =
        Revision.newBuilder()
            .setApplication("shop")
            .setEnvironment("production")
            .setNumber(2)
            .setManifest(Manifest.newBuilder().setRollout(policy))
            .build();
    rollout = NewRollout.start(revision, HOSTS, Optional.empty(), 1, immediate, now);
  }

  private void step() {
    rollout = RolloutStepper.advance(rollout, fleet, now, false).rollout();
  }

  private void stepWithOnceCommands() {
    rollout = RolloutStepper.advance(rollout, fleet, now, true).rollout();
  }

  private void control(RolloutAction action) {
    rollout = ((RolloutControl.Done) RolloutControl.apply(rollout, action, now)).rollout();
  }

  private void later(int seconds) {
    now = now.plus(Duration.ofSeconds(seconds));
  }

  private List<Long> pins() {
    return HOSTS.stream().map(h -> Pins.revisionFor(rollout, h)).toList();
  }

  private void assertSteps(HostStep... steps) {
    List<HostStep> seen =
        HOSTS.stream().map(h -> Pins.find(rollout, h).orElseThrow().getStep()).toList();
    assertThat(seen).containsExactly(steps);
  }

  private static RolloutPolicy policy(int canary, String batch, int bake) {
    return RolloutPolicy.newBuilder()
        .setCanary(canary)
        .setBatch(batch)
        .setBakeSeconds(bake)
        .build();
  }

  private static RevisionRef ref(long revision) {
    return RevisionRef.newBuilder()
        .setApplication("shop")
        .setEnvironment("production")
        .setRevision(revision)
        .build();
  }

  private static ResourceResult result(String app, ResourceOutcome outcome, String reason) {
    return ResourceResult.newBuilder()
        .setApplication(app)
        .setEnvironment("production")
        .setResourceId("handover")
        .setOutcome(outcome)
        .setReason(reason)
        .build();
  }

  /** Hosts whose last report the test writes, received at the test's "now". */
  private final class TestFleet implements Fleet {
    final Map<String, HostState> states = new HashMap<>();
    final Set<String> offline = new HashSet<>();

    void reportApplied(String host, long revision) {
      put(
          host,
          ApplyReport.newBuilder()
              .setOutcome(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED)
              .addRevisions(ref(revision))
              .addResults(result("shop", ResourceOutcome.RESOURCE_OUTCOME_CHANGED, "")));
    }

    void reportFailed(String host, long revision, String resource, String reason) {
      put(
          host,
          ApplyReport.newBuilder()
              .setOutcome(ApplyOutcome.APPLY_OUTCOME_FAILED)
              .addRevisions(ref(revision))
              .addResults(
                  result("shop", ResourceOutcome.RESOURCE_OUTCOME_FAILED, reason).toBuilder()
                      .setResourceId(resource)));
    }

    void put(String host, ApplyReport.Builder report) {
      states.put(
          host,
          HostState.newBuilder()
              .setHostId(host)
              .setLastReport(report.setHostId(host))
              .setLastReportAt(
                  Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
              .build());
    }

    void clear() {
      states.clear();
    }

    @Override
    public Optional<HostState> state(String hostId) {
      return Optional.ofNullable(states.get(hostId));
    }

    @Override
    public boolean online(String hostId) {
      return !offline.contains(hostId);
    }
  }
}
