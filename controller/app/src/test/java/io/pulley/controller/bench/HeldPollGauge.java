package io.pulley.controller.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How many polls the controller holds, as its own metrics say: the simulated agents only know that
 * they sent a poll, not that it arrived and is held. Thread-safe.
 */
final class HeldPollGauge {
  static final String METRIC = "pulley_controller_connected_hosts";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI metrics;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  HeldPollGauge(URI metrics) {
    this.metrics = metrics;
  }

  /** The held polls now, or -1 if the controller does not answer (it is restarting). */
  int read() throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(metrics).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? parse(response.body()) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The gauge's value in a Prometheus text exposition; -1 if it is not there. */
  static int parse(String exposition) {
    int at = 0;
    while (at < exposition.length()) {
      int end = exposition.indexOf('\n', at);
      String line = exposition.substring(at, end < 0 ? exposition.length() : end);
      at = end < 0 ? exposition.length() : end + 1;
      if (line.startsWith(METRIC + " ") || line.startsWith(METRIC + "{")) {
        return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }
}
