package io.pulley.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.ControllerEvent;
import io.pulley.controller.events.ControllerEvent.RevisionStored;
import io.pulley.controller.events.ControllerEvent.RolloutHalted;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RefResolution;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.poll.HostPlans;
import io.pulley.controller.revisions.ApplyResult;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.testing.ManualClock;
import io.pulley.v1.AppPlan;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.PollRequest;
import io.pulley.v1.Resource;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import io.pulley.v1.RevisionRef;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutAction;
import io.pulley.v1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollouts through the real revision log, host registry and host plans: which revision each host's
 * plan holds as batches go, who runs the once-per-environment commands, and the audit trail.
 */
class RolloutPlansTest {
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final List<Rollout> halted = new ArrayList<>();
  private InMemoryStore store;
  private HostRegistry hosts;
  private RevisionLog revisions;
  private Rollouts rollouts;
  private HostPlans plans;

  @BeforeEach
  void setUp() {
    store = new InMemoryStore();
    hosts = new HostRegistry(store, clock);
    revisions =
        new RevisionLog(
            store,
            new ManifestCompiler((url, ref) -> RefResolution.resolved("a".repeat(40))),
            clock,
            ControllerMetrics.discarding(),
            this::react);
    rollouts = newRollouts();
    plans = new HostPlans(hosts, revisions, rollouts);
    HOSTS.forEach(this::poll);
  }

  @Test
  void theFirstRevisionGoesHostByHost_andOnlyTheCanaryRunsTheMigration() {
    apply("v1");
    assertThat(revisionsInPlans()).containsExactly(1L, 0L, 0L);
    assertThat(commandIds("web-1")).containsExactly("command:migrate");

    report("web-1", 1, true);
    rollouts.tick();
    assertThat(revisionsInPlans()).containsExactly(1L, 1L, 0L);
    assertThat(commandIds("web-2")).isEmpty();
    assertThat(plan("web-2").getApps(0).getResourcesList())
        .extracting(Resource::getId)
        .containsExactly("directory:/srv/v1");

    report("web-2", 1, true);
    rollouts.tick();
    report("web-3", 1, true);
    rollouts.tick();
    assertThat(rollouts.get(new AppEnv("shop", "production")).orElseThrow().getStatus())
        .isEqualTo(RolloutStatus.ROLLOUT_STATUS_SUCCEEDED);
    assertThat(revisionsInPlans()).containsExactly(1L, 1L, 1L);
  }

  @Test
  void aFailingCanary_haltsTheRollout_getsItsRevisionBack_andTheOthersNeverChange() {
    rollOutFully("v1");
    String web2Before = plan("web-2").getPlanId();

    apply("v2");
    assertThat(revisionsInPlans()).containsExactly(2L, 1L, 1L);
    report("web-1", 2, false);
    rollouts.tick();

    Rollout rollout = rollouts.get(new AppEnv("shop", "production")).orElseThrow();
    assertThat(rollout.getStatus()).isEqualTo(RolloutStatus.ROLLOUT_STATUS_HALTED);
    assertThat(rollout.getReason()).isEqualTo("host web-1 failed: command:migrate: exit 1");
    assertThat(halted).extracting(Rollout::getRevision).containsExactly(2L);
    assertThat(revisionsInPlans()).containsExactly(1L, 1L, 1L);
    assertThat(plan("web-2").getPlanId()).isEqualTo(web2Before);
    assertThat(store.events(new AppEnv("shop", "production"), 50))
        .extracting(AuditEvent::getDetail)
        .contains(
            "revision 2 stored: manifest applied",
            "host web-1 failed revision 2: command:migrate: exit 1");
  }

  @Test
  void abortedByAnAdmin_everyHostGetsItsPreviousRevision_andTheTrailSaysWho() {
    rollOutFully("v1");
    apply("v2");
    report("web-1", 2, true);
    rollouts.tick();
    assertThat(revisionsInPlans()).containsExactly(2L, 2L, 1L);

    assertThat(
            rollouts.control(
                new AppEnv("shop", "production"), RolloutAction.ROLLOUT_ACTION_ABORT, "ann@laptop"))
        .isInstanceOf(RolloutControl.Done.class);

    assertThat(revisionsInPlans()).containsExactly(1L, 1L, 1L);
    AuditEvent newest = store.events(new AppEnv("shop", "production"), 1).get(0);
    assertThat(newest.getActor()).isEqualTo("ann@laptop");
    assertThat(newest.getDetail())
        .isEqualTo("aborted the rollout of revision 2; every host gets its previous revision back");
  }

  @Test
  void aRestartedControllerGoesOnFromTheStoredRollout() {
    rollOutFully("v1");
    apply("v2");
    Rollouts restarted = newRollouts();
    HostPlans restartedPlans = new HostPlans(hosts, revisions, restarted);

    assertThat(restartedPlans.planFor("web-2").getApps(0).getRevision()).isEqualTo(1);
    report("web-1", 2, true);
    restarted.tick();
    assertThat(restartedPlans.planFor("web-2").getApps(0).getRevision()).isEqualTo(2);
  }

  // What the controller does with these parts' events, less what only the poll hub needs.
  private void react(ControllerEvent event) {
    if (event instanceof RevisionStored stored) {
      rollouts.revisionStored(stored.revision(), stored.previous());
    } else if (event instanceof RolloutHalted stop) {
      halted.add(stop.rollout());
    }
  }

  // A controller's rollouts as it builds them, reading what the store has.
  private Rollouts newRollouts() {
    return new Rollouts(
        store,
        hosts,
        new RegistryFleet(hosts, clock, Duration.ofMinutes(3)),
        new AuditTrail(store, clock),
        clock,
        revisions::get,
        this::react);
  }

  private void rollOutFully(String release) {
    apply(release);
    long revision = revisions.get(new AppEnv("shop", "production"), 0).orElseThrow().getNumber();
    for (String host : HOSTS) {
      report(host, revision, true);
      rollouts.tick();
    }
    assertThat(rollouts.get(new AppEnv("shop", "production")).orElseThrow().getStatus())
        .isEqualTo(RolloutStatus.ROLLOUT_STATUS_SUCCEEDED);
  }

  private void apply(String release) {
    String yaml =
        """
        application: shop
        environment: production
        hosts: {labels: {role: web}}
        rollout: {canary: 1, batch: "1"}
        resources:
          - command: {argv: [/bin/true, %s], once_per_environment: true}
            id: command:migrate
          - directory: {path: /srv/%s}
        """
            .formatted(release, release);
    assertThat(revisions.apply(yaml, "shop.yaml", false, "ann@laptop"))
        .isInstanceOf(ApplyResult.Accepted.class);
  }

  private void poll(String hostId) {
    hosts.recordPoll(
        PollRequest.newBuilder()
            .setHostId(hostId)
            .setFacts(HostFacts.newBuilder().putLabels("role", "web"))
            .build());
  }

  private void report(String hostId, long revision, boolean succeeded) {
    clock.advance(Duration.ofSeconds(5));
    poll(hostId);
    hosts.recordReport(
        ApplyReport.newBuilder()
            .setHostId(hostId)
            .setPlanId(plan(hostId).getPlanId())
            .addRevisions(
                RevisionRef.newBuilder()
                    .setApplication("shop")
                    .setEnvironment("production")
                    .setRevision(revision))
            .setOutcome(
                succeeded
                    ? ApplyOutcome.APPLY_OUTCOME_SUCCEEDED
                    : ApplyOutcome.APPLY_OUTCOME_FAILED)
            .addResults(
                ResourceResult.newBuilder()
                    .setApplication("shop")
                    .setEnvironment("production")
                    .setResourceId("command:migrate")
                    .setOutcome(
                        succeeded
                            ? ResourceOutcome.RESOURCE_OUTCOME_CHANGED
                            : ResourceOutcome.RESOURCE_OUTCOME_FAILED)
                    .setReason(succeeded ? "" : "exit 1"))
            .build());
  }

  private HostPlan plan(String hostId) {
    return plans.planFor(hostId);
  }

  private List<Long> revisionsInPlans() {
    return HOSTS.stream()
        .map(h -> plan(h).getAppsList().stream().mapToLong(AppPlan::getRevision).sum())
        .toList();
  }

  private List<String> commandIds(String hostId) {
    return plan(hostId).getApps(0).getResourcesList().stream()
        .filter(Resource::hasCommand)
        .map(Resource::getId)
        .toList();
  }
}
