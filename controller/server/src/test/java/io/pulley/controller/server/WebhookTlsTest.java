package io.pulley.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.controller.http.LocalTls;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.testing.CapturedLogs;
import io.pulley.testing.TestRepository;
import io.pulley.trust.Credentials;
import io.pulley.trust.PemFiles;
import io.pulley.trust.TrustException;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.SetSecretRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole controller's webhook listener over real TLS: the server certificate by default, the
 * operator's own when given, plain HTTP only in insecure mode.
 */
class WebhookTlsTest {
  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
  private static final String SECRET = "s3cret-shared-with-the-forge";
  private static final byte[] PUSH =
      "{\"ref\":\"refs/tags/v1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path temp;

  @Test
  void aSignedPush_overHttps_isAccepted_withTheControllersServerCertificate() throws Exception {
    Path dataDir = temp.resolve("controller");
    try (TestRepository repository = TestRepository.create(temp.resolve("repo"));
        TrustedController controller =
            new TrustedController(dataDir, config -> config.withWebhooks(LOOPBACK))) {
      repository.commit("README", "first\n");
      repository.annotatedTag("v1.0.0");
      trackWithWebhook(controller, repository);
      X509Certificate ca = PemFiles.certificate(dataDir.resolve("tls/ca.crt"));

      HttpResponse<String> response = postSignedPush(LocalTls.client(ca), controller.server);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
          .isEqualTo(PemFiles.certificate(dataDir.resolve("tls/server.crt")));
    }
  }

  @Test
  void theOperatorsWebhookCertificate_isServedInstead_andGrpcKeepsTheServerCertificate()
      throws Exception {
    LocalTls publicCa = LocalTls.issue(temp.resolve("public"));
    try (TrustedController controller =
        new TrustedController(
            temp.resolve("controller"),
            config ->
                config
                    .withWebhooks(LOOPBACK)
                    .withTls(
                        config
                            .tls()
                            .orElseThrow()
                            .withWebhookCertificate(
                                publicCa.keys().certificateChain(),
                                publicCa.keys().privateKey())))) {
      HttpResponse<String> response =
          postSignedPush(LocalTls.client(publicCa.ca().certificate()), controller.server);

      // No application has a webhook yet: the listener answered, over the operator's certificate.
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
          .isEqualTo(publicCa.certificate());
      X509Certificate controllersCa =
          PemFiles.certificate(controller.dataDir.resolve("tls/ca.crt"));
      assertThatThrownBy(() -> postSignedPush(LocalTls.client(controllersCa), controller.server))
          .isInstanceOf(SSLHandshakeException.class);
      assertThat(controller.firstAdmin().identity().name()).isEqualTo("admin");
    }
  }

  @Test
  void aWebhookKeyThatIsNotTheCertificates_stopsTheStart_namingTheFiles() throws Exception {
    LocalTls one = LocalTls.issue(temp.resolve("one"));
    LocalTls other = LocalTls.issue(temp.resolve("other"));
    Path dataDir = temp.resolve("controller");
    ControllerConfig config = ControllerConfig.of(dataDir, LOOPBACK).withWebhooks(LOOPBACK);
    ControllerConfig mismatched =
        config.withTls(
            config
                .tls()
                .orElseThrow()
                .withWebhookCertificate(one.keys().certificateChain(), other.keys().privateKey()));

    assertThatThrownBy(
            () -> ControllerServer.start(mismatched, new JGitRefResolver(), Clock.systemUTC()))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining(other.keys().privateKey().toString())
        .hasMessageContaining("is not the key of the certificate in")
        .hasMessageNotContaining("PRIVATE KEY")
        .hasMessageNotContaining(Files.readString(other.keys().privateKey()).strip());
    // Nothing is left holding the data dir.
    ControllerServer.start(config, new JGitRefResolver(), Clock.systemUTC()).close();
  }

  @Test
  void insecureMode_servesWebhooksOverPlainHttp_andSaysSo() throws Exception {
    try (CapturedLogs logs = CapturedLogs.start();
        ControllerServer server =
            ControllerServer.start(
                ControllerConfig.insecure(temp, LOOPBACK).withWebhooks(LOOPBACK),
                new JGitRefResolver(),
                Clock.systemUTC())) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  request("http", server, "no-such-app").build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains("no webhook for no-such-app/production");
      assertThat(logs.text())
          .contains("INSECURE MODE")
          .contains("webhooks are served over plain HTTP");
    }
  }

  /** Applies a manifest that tracks tags with a webhook secret, and sets the secret. */
  private static void trackWithWebhook(TrustedController controller, TestRepository repository)
      throws IOException {
    Credentials admin = controller.firstAdmin();
    var stub = AdminServiceGrpc.newBlockingStub(controller.mutual(admin));
    String yaml =
        """
        application: shop
        environment: production
        track: {tags: "v*", interval_seconds: 3600, webhook_secret: forge-hook}
        stack:
          git: {url: "%s", ref: v1.0.0}
          web: {wsgi: app.wsgi}
          site: {domains: [shop.example.com]}
        """
            .formatted(repository.url());
    stub.applyManifest(
        ApplyManifestRequest.newBuilder().setManifestYaml(yaml).setSourceName("shop.yaml").build());
    stub.setSecret(
        SetSecretRequest.newBuilder()
            .setApplication("shop")
            .setEnvironment("production")
            .setName("forge-hook")
            .setValue(SECRET)
            .build());
  }

  /** What GitHub sends after a push: the event, signed with the shared secret. */
  private static HttpResponse<String> postSignedPush(HttpClient client, ControllerServer server)
      throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(PUSH));
    return client.send(
        request("https", server, "shop").header("X-Hub-Signature-256", signature).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String scheme, ControllerServer server, String app) {
    return HttpRequest.newBuilder(
            URI.create(
                scheme + "://127.0.0.1:" + server.webhookPort() + "/hooks/" + app + "/production"))
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(PUSH));
  }
}
