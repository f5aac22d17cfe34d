package io.pulley.controller.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.ControllerEvent;
import io.pulley.controller.events.ControllerEvent.CommandsDone;
import io.pulley.controller.events.ControllerEvent.RevisionStored;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RefResolution;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.poll.HostPlans;
import io.pulley.controller.revisions.ApplyResult;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.rollout.RegistryFleet;
import io.pulley.controller.rollout.Rollouts;
import io.pulley.controller.store.CommandDone;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.testing.ManualClock;
import io.pulley.v1.AppPlan;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.HostFacts;
import io.pulley.v1.PollRequest;
import io.pulley.v1.Resource;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import io.pulley.v1.RevisionRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stack command with {@code once: environment}, through the real compiler, revision log, host
 * registry, rollouts and host plans: it is in the first host's plan until a host reports its
 * success, and in no plan of the environment after that, whatever the host or revision.
 */
class DoneCommandsTest {
  private static final AppEnv SHOP = new AppEnv("shop", "production");
  private static final String INIT_DB = "command:init-db";
  private static final String MIGRATE = "command:migrate";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final InMemoryStore store = new InMemoryStore();
  private final HostRegistry hosts = new HostRegistry(store, clock);
  private final List<ControllerEvent> published = new ArrayList<>();
  private final RevisionLog revisions =
      new RevisionLog(
          store,
          new ManifestCompiler((url, ref) -> RefResolution.resolved("a".repeat(40))),
          clock,
          ControllerMetrics.discarding(),
          this::react);
  private final Rollouts rollouts =
      new Rollouts(
          store,
          hosts,
          new RegistryFleet(hosts, clock, Duration.ofMinutes(3)),
          new AuditTrail(store, clock),
          clock,
          revisions::get,
          this::react);
  private DoneCommands done = newDoneCommands();
  private HostPlans plans = new HostPlans(hosts, revisions, done);

  @Test
  void underAPolicy_theFirstHostRunsIt_andAfterItsSuccessNoPlanHasIt_inAnyLaterRevision() {
    List.of("web-1", "web-2").forEach(this::poll);
    apply("v1", "rollout: {canary: 1}");
    assertThat(commandIds("web-1")).containsExactly(INIT_DB, MIGRATE);
    String before = plans.planFor("web-1").getPlanId();

    report("web-1", 1, ResourceOutcome.RESOURCE_OUTCOME_CHANGED);

    assertThat(published).containsExactly(new CommandsDone(SHOP));
    assertThat(commandIds("web-1")).containsExactly(MIGRATE);
    assertThat(plans.planFor("web-1").getPlanId()).isNotEqualTo(before);
    rollouts.tick();
    assertThat(revisionOf("web-2")).isEqualTo(1);
    assertThat(commandIds("web-2")).isEmpty();

    apply("v2", "rollout: {canary: 1}");
    assertThat(revisionOf("web-1")).isEqualTo(2);
    assertThat(commandIds("web-1")).containsExactly(MIGRATE);
    assertThat(store.commandsDone())
        .containsExactly(new CommandDone(SHOP, INIT_DB, 1, "web-1", clock.instant()));
    assertThat(store.events(SHOP, 50))
        .extracting(AuditEvent::getDetail)
        .contains(
            "command init-db done in shop/production on web-1 at revision 1; no later plan runs"
                + " it");
  }

  @Test
  void aRestartedController_andAServerAddedLater_neverGetItAgain() {
    poll("web-1");
    apply("v1", "");
    report("web-1", 1, ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);

    done = newDoneCommands();
    plans = new HostPlans(hosts, revisions, done);
    poll("web-9");

    assertThat(commandIds("web-1")).containsExactly(MIGRATE);
    assertThat(commandIds("web-9")).containsExactly(MIGRATE);
  }

  @Test
  void withoutAPolicy_everyHostHasIt_untilTheFirstSuccess() {
    List.of("web-1", "web-2").forEach(this::poll);
    apply("v1", "");
    assertThat(commandIds("web-2")).containsExactly(INIT_DB, MIGRATE);

    report("web-2", 1, ResourceOutcome.RESOURCE_OUTCOME_CHANGED);

    assertThat(commandIds("web-1")).containsExactly(MIGRATE);
    assertThat(commandIds("web-2")).containsExactly(MIGRATE);
  }

  @Test
  void failures_otherCommands_unselectedHosts_andUnknownRevisions_recordNothing() {
    List.of("web-1", "db-1").forEach(this::poll);
    hosts.recordPoll(
        PollRequest.newBuilder()
            .setHostId("db-1")
            .setFacts(HostFacts.newBuilder().putLabels("role", "db"))
            .build());
    apply("v1", "");

    report("web-1", 1, ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    report("web-1", 1, ResourceOutcome.RESOURCE_OUTCOME_SKIPPED);
    report("db-1", 1, ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    report("web-1", 7, ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    done.reportReceived(reportOf("web-1", 1, MIGRATE, ResourceOutcome.RESOURCE_OUTCOME_CHANGED));

    assertThat(store.commandsDone()).isEmpty();
    assertThat(published).isEmpty();
    assertThat(commandIds("web-1")).containsExactly(INIT_DB, MIGRATE);
  }

  private DoneCommands newDoneCommands() {
    return new DoneCommands(
        store, hosts, new AuditTrail(store, clock), clock, revisions::get, this::react, rollouts);
  }

  private void react(ControllerEvent event) {
    if (event instanceof RevisionStored stored) {
      rollouts.revisionStored(stored.revision(), stored.previous());
    } else if (event instanceof CommandsDone) {
      published.add(event);
    }
  }

  private void apply(String ref, String rollout) {
    String yaml =
        """
        application: shop
        environment: production
        hosts: {labels: {role: web}}
        %s
        stack:
          git: {url: "https://git.example.com/shop.git", ref: %s}
          web: {wsgi: shop.wsgi}
          site: {domains: [shop.example.com]}
          commands:
            - {name: init-db, argv: [python, -m, shop.init_db], once: environment}
            - {name: migrate, argv: [alembic, upgrade, head], once_per_environment: true}
        """
            .formatted(rollout, ref);
    ApplyResult result = revisions.apply(yaml, "shop.yaml", false, "ann@laptop");
    assertThat(result).isInstanceOf(ApplyResult.Accepted.class);
  }

  private void poll(String hostId) {
    hosts.recordPoll(
        PollRequest.newBuilder()
            .setHostId(hostId)
            .setFacts(HostFacts.newBuilder().putLabels("role", "web"))
            .build());
  }

  private void report(String hostId, long revision, ResourceOutcome outcome) {
    clock.advance(Duration.ofSeconds(5));
    ApplyReport report = reportOf(hostId, revision, INIT_DB, outcome);
    hosts.recordReport(report);
    done.reportReceived(report);
  }

  private ApplyReport reportOf(
      String hostId, long revision, String resourceId, ResourceOutcome outcome) {
    boolean ok = outcome != ResourceOutcome.RESOURCE_OUTCOME_FAILED;
    return ApplyReport.newBuilder()
        .setHostId(hostId)
        .setPlanId(plans.planFor(hostId).getPlanId())
        .addRevisions(
            RevisionRef.newBuilder()
                .setApplication("shop")
                .setEnvironment("production")
                .setRevision(revision))
        .setOutcome(ok ? ApplyOutcome.APPLY_OUTCOME_SUCCEEDED : ApplyOutcome.APPLY_OUTCOME_FAILED)
        .addResults(
            ResourceResult.newBuilder()
                .setApplication("shop")
                .setEnvironment("production")
                .setResourceId(resourceId)
                .setOutcome(outcome))
        .build();
  }

  private long revisionOf(String hostId) {
    return plans.planFor(hostId).getAppsList().stream().mapToLong(AppPlan::getRevision).sum();
  }

  private List<String> commandIds(String hostId) {
    return plans.planFor(hostId).getAppsList().stream()
        .flatMap(app -> app.getResourcesList().stream())
        .filter(Resource::hasCommand)
        .map(Resource::getId)
        .filter(id -> id.equals(INIT_DB) || id.equals(MIGRATE))
        .toList();
  }
}
