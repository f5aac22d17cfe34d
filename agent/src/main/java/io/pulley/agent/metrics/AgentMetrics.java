package io.pulley.agent.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the poll loop records about its polls and applies. Implementations are thread-safe.
 *
 * <p>Meters cost an agent about 180 classes (Micrometer and the Prometheus client), so only an
 * agent that serves them builds them: {@link #forListen}.
 */
public interface AgentMetrics {
  /** How a poll ended, as the {@code result} tag. */
  enum PollResult {
    NEW_PLAN,
    UNCHANGED,
    ERROR
  }

  /**
   * Meters in a Prometheus registry when {@code metricsListen} (the {@code metrics_listen} setting)
   * is set, else metrics that record nothing and load no meter library.
   */
  static AgentMetrics forListen(String metricsListen) {
    return metricsListen.isEmpty() ? UnservedAgentMetrics.INSTANCE : new PrometheusAgentMetrics();
  }

  void poll(PollResult result);

  void applied(boolean succeeded, Duration took, Instant finished);

  /** The registry to serve, or empty when metrics are not served. */
  Optional<PrometheusMeterRegistry> registry();
}
