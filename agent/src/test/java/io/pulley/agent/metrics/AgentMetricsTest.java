package io.pulley.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

  @Test
  void scrape_showsThePrometheusNames() {
    AgentMetrics metrics = AgentMetrics.forListen("127.0.0.1:9464");
    metrics.poll(AgentMetrics.PollResult.NEW_PLAN);
    metrics.poll(AgentMetrics.PollResult.ERROR);
    metrics.applied(true, Duration.ofSeconds(2), Instant.ofEpochSecond(1_700_000_000L));
    metrics.applied(false, Duration.ofSeconds(1), Instant.ofEpochSecond(1_700_000_100L));

    String text = metrics.registry().orElseThrow().scrape();

    assertThat(text)
        .contains("pulley_agent_polls_total{result=\"new_plan\"} 1.0")
        .contains("pulley_agent_polls_total{result=\"error\"} 1.0")
        .contains("pulley_agent_polls_total{result=\"unchanged\"} 0.0")
        .contains("pulley_agent_applies_total{outcome=\"succeeded\"} 1.0")
        .contains("pulley_agent_applies_total{outcome=\"failed\"} 1.0")
        .contains("pulley_agent_apply_duration_seconds_count 2")
        .contains("pulley_agent_last_success_timestamp_seconds 1.7E9");
  }

  @Test
  void notServed_recordsNothingAndHasNoRegistry() {
    AgentMetrics metrics = AgentMetrics.forListen("");
    metrics.poll(AgentMetrics.PollResult.NEW_PLAN);
    metrics.applied(true, Duration.ofSeconds(2), Instant.ofEpochSecond(1_700_000_000L));

    assertThat(metrics).isNotInstanceOf(PrometheusAgentMetrics.class);
    assertThat(metrics.registry()).isEmpty();
  }

  @Test
  void server_servesMetricsOverHttp() throws Exception {
    AgentMetrics metrics = AgentMetrics.forListen("127.0.0.1:0");
    metrics.poll(AgentMetrics.PollResult.UNCHANGED);
    try (MetricsServer server =
        MetricsServer.start("127.0.0.1:0", metrics.registry().orElseThrow())) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("pulley_agent_polls_total{result=\"unchanged\"} 1.0");
    }
  }
}
