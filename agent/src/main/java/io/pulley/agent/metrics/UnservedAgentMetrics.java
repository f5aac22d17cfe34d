package io.pulley.agent.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The metrics of an agent without {@code metrics_listen}: nobody reads them, so none are kept. */
final class UnservedAgentMetrics implements AgentMetrics {
  static final UnservedAgentMetrics INSTANCE = new UnservedAgentMetrics();

  private UnservedAgentMetrics() {}

  @Override
  public void poll(PollResult result) {}

  @Override
  public void applied(boolean succeeded, Duration took, Instant finished) {}

  @Override
  public Optional<PrometheusMeterRegistry> registry() {
    return Optional.empty();
  }
}
