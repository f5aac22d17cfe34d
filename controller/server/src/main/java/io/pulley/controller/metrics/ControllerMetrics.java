package io.pulley.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The controller's meters. Thread-safe. Names follow Prometheus conventions once exported ({@code
 * pulley_controller_applies_total}, …).
 */
public final class ControllerMetrics {
  private final MeterRegistry registry;

  public ControllerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Meters that go nowhere, for tests and tools that do not export them. */
  public static ControllerMetrics discarding() {
    return new ControllerMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** An apply ended: created, unchanged, dry_run or rejected. */
  public void applied(String result) {
    Counter.builder("pulley.controller.applies")
        .description("Manifest applies by result")
        .tag("result", result)
        .register(registry)
        .increment();
  }

  /** A revision was stored (by an apply or a rollback). */
  public void revisionCreated() {
    Counter.builder("pulley.controller.revisions")
        .description("Revisions stored")
        .register(registry)
        .increment();
  }

  /** A poll was answered: new_plan, unchanged, replaced, cancelled, shutdown or cut_off. */
  public void pollAnswered(String result, Duration held) {
    Timer.builder("pulley.controller.poll.hold")
        .description("How long polls were held before their answer")
        .tag("result", result)
        .register(registry)
        .record(held);
  }

  /** An apply report arrived with this outcome. */
  public void reportReceived(String outcome) {
    Counter.builder("pulley.controller.reports")
        .description("Apply reports received by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /**
   * An entry of the audit trail was recorded: revision, rollout, control, quarantine, track or
   * webhook (a rejected one).
   */
  public void audited(String kind) {
    Counter.builder("pulley.controller.audit.events")
        .description("Audit trail entries by kind: revisions, rollout steps, controls, quarantines")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  /**
   * A call was refused before reaching its service: no_certificate, expired, not_ours, unknown,
   * revoked, wrong_kind, role or unknown_method.
   */
  public void callRefused(String reason) {
    Counter.builder("pulley.controller.calls.refused")
        .description("Calls refused by authentication or authorization, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** Publishes the number of held polls, which is the number of connected agents. */
  public void gaugeHeldPolls(Supplier<Number> count) {
    Gauge.builder("pulley.controller.connected.hosts", count)
        .description("Agents whose long-poll is being held")
        .register(registry);
  }
}
