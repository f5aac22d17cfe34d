package io.pulley.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.v1.AuditEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
  @Test
  void anEntryIsStoredNewestFirst_andCountedByKind() {
    InMemoryStore store = new InMemoryStore();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    AuditTrail trail = new AuditTrail(store, clock, new ControllerMetrics(registry));

    trail.record(
        new AppEnv("shop", "production"),
        3,
        "rollout",
        "controller",
        "host web-1 deploys revision 3");
    trail.record(
        new AppEnv("shop", "production"), 3, "control", "ann@laptop", "paused the rollout");

    assertThat(trail.events(new AppEnv("shop", "production"), 10))
        .extracting(AuditEvent::getKind, AuditEvent::getActor)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("control", "ann@laptop"),
            org.assertj.core.groups.Tuple.tuple("rollout", "controller"));
    assertThat(trail.events(new AppEnv("shop", "production"), 10).get(0).getAt().getSeconds())
        .isEqualTo(clock.instant().getEpochSecond());
    assertThat(
            registry.get("pulley.controller.audit.events").tag("kind", "rollout").counter().count())
        .isEqualTo(1.0);
  }
}
