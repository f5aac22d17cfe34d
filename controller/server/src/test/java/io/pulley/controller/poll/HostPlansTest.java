package io.pulley.controller.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.events.Events;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RefResolution;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.PollRequest;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostPlansTest {
  private HostRegistry hosts;
  private RevisionLog revisions;
  private HostPlans plans;

  @BeforeEach
  void setUp() {
    InMemoryStore store = new InMemoryStore();
    hosts = new HostRegistry(store, Clock.systemUTC());
    revisions =
        new RevisionLog(
            store,
            new ManifestCompiler((url, ref) -> RefResolution.resolved("a".repeat(40))),
            Clock.systemUTC(),
            ControllerMetrics.discarding(),
            Events.NONE);
    plans = new HostPlans(hosts, revisions);
  }

  @Test
  void hostsWithTheSameLabels_getTheSamePlanUnderTheirOwnIds() {
    poll("web-1", "web");
    poll("web-2", "web");
    apply("shop", "labels: {role: web}");

    HostPlan first = plans.planFor("web-1");
    HostPlan second = plans.planFor("web-2");

    assertThat(first.getHostId()).isEqualTo("web-1");
    assertThat(second.getHostId()).isEqualTo("web-2");
    assertThat(second.getPlanId()).isEqualTo(first.getPlanId());
    assertThat(second.getAppsList()).isEqualTo(first.getAppsList()).hasSize(1);
  }

  @Test
  void hostsWithOtherLabels_getTheirOwnPlan() {
    poll("web-1", "web");
    poll("db-1", "db");
    apply("shop", "labels: {role: web}");

    assertThat(plans.planFor("web-1").getAppsCount()).isEqualTo(1);
    assertThat(plans.planFor("db-1").getAppsCount()).isZero();
  }

  @Test
  void manifestsThatListHostIds_areRenderedPerHost() {
    poll("web-1", "web");
    poll("web-2", "web");
    apply("shop", "host_ids: [web-2]");

    assertThat(plans.planFor("web-1").getAppsCount()).isZero();
    assertThat(plans.planFor("web-2").getAppsCount()).isEqualTo(1);
  }

  @Test
  void aNewRevision_changesThePlanOfTheHostsItSelects() {
    poll("web-1", "web");
    apply("shop", "labels: {role: web}");
    String before = plans.planFor("web-1").getPlanId();

    apply("blog", "labels: {role: web}");

    HostPlan after = plans.planFor("web-1");
    assertThat(after.getPlanId()).isNotEqualTo(before);
    assertThat(after.getAppsCount()).isEqualTo(2);
  }

  private void poll(String hostId, String role) {
    hosts.recordPoll(
        PollRequest.newBuilder()
            .setHostId(hostId)
            .setFacts(HostFacts.newBuilder().putLabels("role", role))
            .build());
  }

  private void apply(String application, String selector) {
    String yaml =
        """
        application: %s
        environment: test
        hosts: {%s}
        resources:
          - directory: {path: /srv/%s}
        """
            .formatted(application, selector, application);
    assertThat(revisions.apply(yaml, "test.yaml", false, "test"))
        .isInstanceOf(io.pulley.controller.revisions.ApplyResult.Accepted.class);
  }
}
