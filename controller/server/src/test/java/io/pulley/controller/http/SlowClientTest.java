package io.pulley.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulley.controller.metrics.MetricsEndpoint;
import io.pulley.testing.SlowClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that sends a byte a second neither keeps others from being served nor stays connected
 * for ever. The durations only guard against a hang: the request time limit is 10 s.
 */
class SlowClientTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

  @Test
  void metrics_servesOthersWhileASlowClientDribbles_andCutsItOff() throws Exception {
    try (MetricsEndpoint metrics =
            MetricsEndpoint.start(ANY_PORT, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        SlowClient slow = SlowClient.open(metrics.port(), "/metrics")) {
      Thread.sleep(1500); // the slow request is being read by now

      HttpResponse<String> fast = get(metrics.port(), "/metrics");

      assertThat(fast.statusCode()).isEqualTo(200);
      assertThat(slow.awaitDisconnected(GENEROUS)).isTrue();
    }
  }

  @Test
  void everyListener_servesOthersWhileAsManySlowClientsAsThreadsDribble() throws Exception {
    var server = HttpListeners.create(ANY_PORT, 2, "test-http");
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try (SlowClient first = SlowClient.open(server.getAddress().getPort(), "/");
        SlowClient second = SlowClient.open(server.getAddress().getPort(), "/")) {
      Thread.sleep(1500);

      // Both threads are held until the time limit cuts the slow requests off; then this is served.
      HttpResponse<String> fast = get(server.getAddress().getPort(), "/");

      assertThat(fast.body()).isEqualTo("ok");
      assertThat(first.awaitDisconnected(GENEROUS)).isTrue();
      assertThat(second.awaitDisconnected(GENEROUS)).isTrue();
    } finally {
      server.stop(0);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newBuilder()
        .connectTimeout(GENEROUS)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(GENEROUS)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
