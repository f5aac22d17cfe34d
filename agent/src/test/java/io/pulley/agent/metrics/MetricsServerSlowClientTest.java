package io.pulley.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulley.testing.SlowClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow clients neither keep a scrape from being served nor stay connected for ever. The server runs
 * in a JVM of its own, as in production: the JDK reads its limits once per JVM, and other tests
 * here start HTTP servers of their own. Durations only guard against a hang.
 */
class MetricsServerSlowClientTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);

  /** The child JVM: serves metrics on a free port and prints the port. */
  public static void main(String[] args) throws Exception {
    MetricsServer server =
        MetricsServer.start("127.0.0.1:0", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    System.out.println(server.port());
    System.out.flush();
    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
  }

  @Test
  void asManySlowClientsAsThreads_delayAScrapeOnlyUntilTheyAreCutOff() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                MetricsServerSlowClientTest.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      int port =
          Integer.parseInt(
              new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                  .readLine()
                  .strip());
      try (SlowClient first = SlowClient.open(port, "/metrics");
          SlowClient second = SlowClient.open(port, "/metrics")) {
        Thread.sleep(1500);

        HttpResponse<String> scrape =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(GENEROUS)
                        .build(),
                    HttpResponse.BodyHandlers.ofString());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(first.awaitDisconnected(GENEROUS)).isTrue();
        assertThat(second.awaitDisconnected(GENEROUS)).isTrue();
      }
    } finally {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
