package io.pulley.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The agent's meters, in a Prometheus registry: for an agent that serves them. Thread-safe. */
public final class PrometheusAgentMetrics implements AgentMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter pollsNewPlan = polls("new_plan");
  private final Counter pollsUnchanged = polls("unchanged");
  private final Counter pollsError = polls("error");
  private final Counter appliesSucceeded = applies("succeeded");
  private final Counter appliesFailed = applies("failed");
  private final Timer applyDuration =
      Timer.builder("pulley.agent.apply.duration")
          .description("How long applying a plan took")
          .register(registry);
  private final AtomicLong lastSuccessMillis = new AtomicLong();

  public PrometheusAgentMetrics() {
    Gauge.builder(
            "pulley.agent.last.success.timestamp.seconds",
            lastSuccessMillis,
            ms -> ms.get() / 1000.0)
        .description("When the last apply succeeded, in seconds since the epoch (0: never)")
        .register(registry);
  }

  @Override
  public Optional<PrometheusMeterRegistry> registry() {
    return Optional.of(registry);
  }

  @Override
  public void poll(PollResult result) {
    switch (result) {
      case NEW_PLAN -> pollsNewPlan.increment();
      case UNCHANGED -> pollsUnchanged.increment();
      case ERROR -> pollsError.increment();
    }
  }

  @Override
  public void applied(boolean succeeded, Duration took, Instant finished) {
    applyDuration.record(took);
    if (succeeded) {
      appliesSucceeded.increment();
      lastSuccessMillis.set(finished.toEpochMilli());
    } else {
      appliesFailed.increment();
    }
  }

  private Counter polls(String result) {
    return Counter.builder("pulley.agent.polls")
        .description("Polls of the controller, by result")
        .tag("result", result)
        .register(registry);
  }

  private Counter applies(String outcome) {
    return Counter.builder("pulley.agent.applies")
        .description("Plan applies, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}
