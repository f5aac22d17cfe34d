package io.pulley.agent.apply.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.process.ProgramRunner;
import io.pulley.testing.ManualClock;
import io.pulley.v1.lite.HealthCheck;
import io.pulley.v1.lite.ResourceOutcome;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTPS server whose self-signed certificate names another host. */
class HealthCheckTlsTest {
  private static final char[] STORE_PASSWORD = "test-store".toCharArray();

  @TempDir static Path keys;
  @TempDir Path dir;

  private static HttpsServer server;
  private static String url;

  private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final HealthCheckExecutor executor = new HealthCheckExecutor(clock, clock::advance);

  @BeforeAll
  static void startServer() throws Exception {
    Path store = keys.resolve("site.p12");
    ProgramRunner.Result keytool =
        new ProgramRunner()
            .run(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair",
                    "-keystore",
                    store.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    new String(STORE_PASSWORD),
                    "-alias",
                    "site",
                    "-keyalg",
                    "EC",
                    "-dname",
                    "CN=www.example.test",
                    "-validity",
                    "2"),
                keys,
                Map.of("PATH", "/usr/bin:/bin"),
                new byte[0],
                Duration.ofMinutes(1));
    assertThat(keytool.succeeded()).as(keytool.outputTail()).isTrue();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, STORE_PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, STORE_PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    url = "https://127.0.0.1:" + server.getAddress().getPort() + "/health";
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void converge_insecureTls_acceptsTheSitesCertificateOnTheLoopback() {
    Convergence c =
        executor.converge(
            HealthCheck.newBuilder()
                .setUrl(url)
                .setHostHeader("www.example.test")
                .setInsecureTls(true)
                .build(),
            Contexts.plain(dir));

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void converge_verifyingTls_failsWithTheHandshakeError() {
    Convergence c =
        executor.converge(
            HealthCheck.newBuilder().setUrl(url).setDeadlineSeconds(1).build(),
            Contexts.plain(dir));

    assertThat(c.failed()).isTrue();
    assertThat(c.reason()).contains("last: SSLHandshakeException");
  }
}
