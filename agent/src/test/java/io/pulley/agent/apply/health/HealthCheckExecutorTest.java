package io.pulley.agent.apply.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.testing.ManualClock;
import io.pulley.v1.lite.HealthCheck;
import io.pulley.v1.lite.ResourceOutcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCheckExecutorTest {
  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final List<Duration> pauses = new ArrayList<>();
  private final HealthCheckExecutor executor =
      new HealthCheckExecutor(
          clock,
          d -> {
            pauses.add(d);
            clock.advance(d);
          });
  private final List<String> hosts = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void converge_healthyAtOnce_reportsUnchangedWithTheStatus() {
    String url = serve(n -> answer(200, "ok"));

    Convergence c = converge(HealthCheck.newBuilder().setUrl(url).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("200 after 0.0 s");
    assertThat(pauses).isEmpty();
  }

  @Test
  void converge_unhealthyAtFirst_retriesEverySecondUntilHealthy() {
    String url = serve(n -> n < 3 ? answer(503, "starting") : answer(200, "ok"));

    Convergence c = converge(HealthCheck.newBuilder().setUrl(url).build());

    assertThat(c.reason()).isEqualTo("200 after 2.0 s");
    assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void converge_neverHealthy_failsAtTheDeadlineWithTheLastStatusAndBody() {
    String url = serve(n -> answer(503, "upstream\n  not ready " + n));

    Convergence c = converge(HealthCheck.newBuilder().setUrl(url).setDeadlineSeconds(3).build());

    assertThat(c.failed()).isTrue();
    assertThat(c.reason())
        .isEqualTo(
            "no healthy answer from "
                + url
                + " in 3.0 s; last: status 503 (expected 200): upstream not ready 4");
  }

  @Test
  void converge_sendsTheHostHeader() {
    String url = serve(n -> answer(200, "ok"));

    converge(HealthCheck.newBuilder().setUrl(url).setHostHeader("www.example.test").build());

    assertThat(hosts).containsExactly("www.example.test");
  }

  @Test
  void converge_bodyLacksExpectedText_failsQuotingIt() {
    String url = serve(n -> answer(200, "maintenance"));

    Convergence c =
        converge(
            HealthCheck.newBuilder()
                .setUrl(url)
                .setExpectBody("db ok")
                .setDeadlineSeconds(1)
                .build());

    assertThat(c.reason()).endsWith("last: status 200 but the body lacks \"db ok\": maintenance");
  }

  @Test
  void converge_expectedOtherStatus_passesOnIt() {
    String url = serve(n -> answer(401, "login"));

    Convergence c = converge(HealthCheck.newBuilder().setUrl(url).setExpectStatus(401).build());

    assertThat(c.reason()).isEqualTo("401 after 0.0 s");
  }

  @Test
  void converge_nothingListening_failsWithTheConnectionError() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    Convergence c =
        converge(
            HealthCheck.newBuilder()
                .setUrl("http://127.0.0.1:" + port + "/health")
                .setDeadlineSeconds(2)
                .build());

    assertThat(c.failed()).isTrue();
    assertThat(c.reason()).contains("in 2.0 s; last: ").containsIgnoringCase("Connect");
    assertThat(pauses).hasSize(2);
  }

  @Test
  void converge_bodyWithSecret_isScrubbedFromTheReason() {
    String url = serve(n -> answer(500, "password=hunter2hunter2"));

    Convergence c =
        executor.converge(
            HealthCheck.newBuilder().setUrl(url).setDeadlineSeconds(1).build(),
            Contexts.withSecrets(dir, Map.of("database-password", "hunter2hunter2")));

    assertThat(c.reason()).contains("password=***").doesNotContain("hunter2");
  }

  @Test
  void converge_notHttp_failsNamingTheUrl() {
    Convergence c = converge(HealthCheck.newBuilder().setUrl("ftp://127.0.0.1/").build());

    assertThat(c.reason())
        .isEqualTo("url 'ftp://127.0.0.1/' is not an absolute http:// or https:// URL");
  }

  @Test
  void excerpt_longBody_isCutOnOneLine() {
    assertThat(HealthCheckExecutor.excerpt("a\nb" + "c".repeat(200)))
        .hasSize(HealthCheckExecutor.EXCERPT_CHARS + 1)
        .startsWith("a bccc")
        .endsWith("…");
  }

  private Convergence converge(HealthCheck spec) {
    return executor.converge(spec, Contexts.plain(dir));
  }

  private record Answer(int status, String body) {}

  private interface Responder {
    Answer respond(int attempt);
  }

  private static Answer answer(int status, String body) {
    return new Answer(status, body);
  }

  private String serve(Responder responder) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    AtomicInteger attempts = new AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          hosts.add(exchange.getRequestHeaders().getFirst("Host"));
          send(exchange, responder.respond(attempts.incrementAndGet()));
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
  }

  static void send(HttpExchange exchange, Answer answer) throws IOException {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
