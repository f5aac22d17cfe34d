package io.pulley.controller.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.Events;
import io.pulley.controller.http.LocalTls;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RemoteRefs;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.revisions.ApplyResult;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.testing.CapturedLogs;
import io.pulley.testing.ManualClock;
import io.pulley.testing.TestRepository;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.Revision;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook endpoint over real HTTPS (a forge that trusts the controller's CA): each forge's
 * signature accepted, and a missing or wrong one refused, logged and recorded, without reading the
 * remote.
 */
class WebhookEndpointTest {
  private static final String SECRET = "s3cret-shared-with-the-forge";
  private static final byte[] PUSH =
      "{\"ref\":\"refs/tags/v1.1.0\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path temp;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private HttpClient http;
  private TestRepository repository;
  private InMemoryStore store;
  private RevisionLog revisions;
  private Tracker tracker;
  private WebhookEndpoint endpoint;
  private int reads;
  private final AtomicInteger readsAsked = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    repository = TestRepository.create(temp.resolve("repo"));
    repository.commit("README", "first\n");
    repository.annotatedTag("v1.0.0");
    store = new InMemoryStore();
    revisions =
        new RevisionLog(
            store,
            new ManifestCompiler(new JGitRefResolver()),
            clock,
            ControllerMetrics.discarding(),
            Events.NONE);
    JGitRefResolver jgit = new JGitRefResolver();
    RemoteRefs counted =
        url -> {
          reads++;
          return jgit.list(url);
        };
    AuditTrail audit = new AuditTrail(store, clock);
    tracker = new Tracker(revisions, counted, store, audit, clock, new Random(3));
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
    assertThat(revisions.apply(yaml, "shop.yaml", false, "ann"))
        .isInstanceOf(ApplyResult.Accepted.class);
    store.putSecret(new AppEnv("shop", "production"), "forge-hook", SECRET, clock.instant(), "ann");
    tracker.tick();
    reads = 0;
    LocalTls tls = LocalTls.issue(temp.resolve("tls"));
    http = LocalTls.client(tls.ca().certificate());
    endpoint =
        WebhookEndpoint.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            Optional.of(tls.server()),
            revisions,
            store,
            tracker,
            audit,
            readsAsked::incrementAndGet,
            clock);
  }

  @AfterEach
  void tearDown() {
    endpoint.close();
    repository.close();
  }

  @Test
  void aSignedGitHubPush_makesTrackingReadTheRemoteAtOnce() throws Exception {
    repository.commit("README", "second\n");
    repository.annotatedTag("v1.1.0");

    HttpResponse<String> response =
        post(
            "/hooks/shop/production",
            Map.of("X-Hub-Signature-256", "sha256=" + WebhookSignature.hmacHex(PUSH, SECRET)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(readsAsked.get())
        .as("a read is asked for at once, not at the next tick")
        .isEqualTo(1);
    tracker.tick();

    assertThat(reads).isEqualTo(1);
    Revision current = revisions.get(new AppEnv("shop", "production"), 0).orElseThrow();
    assertThat(current.getManifest().getStack().getGit().getRef()).isEqualTo("v1.1.0");
    assertThat(current.getTrigger()).endsWith(", seen by the GitHub webhook");
  }

  @Test
  void giteaAndGitLabAreVerifiedTheirOwnWay() throws Exception {
    assertThat(
            post(
                    "/hooks/shop/production",
                    Map.of("X-Gitea-Signature", WebhookSignature.hmacHex(PUSH, SECRET)))
                .statusCode())
        .isEqualTo(202);
    assertThat(post("/hooks/shop/production", Map.of("X-Gitlab-Token", SECRET)).statusCode())
        .isEqualTo(202);
  }

  @Test
  void aMissingOrWrongSignature_isRejected_logged_andRecorded_andTheRemoteIsNotRead()
      throws Exception {
    try (CapturedLogs logs = CapturedLogs.start()) {
      HttpResponse<String> none = post("/hooks/shop/production", Map.of());
      HttpResponse<String> wrong =
          post(
              "/hooks/shop/production",
              Map.of("X-Hub-Signature-256", "sha256=" + WebhookSignature.hmacHex(PUSH, "guess")));
      HttpResponse<String> token =
          post("/hooks/shop/production", Map.of("X-Gitlab-Token", "guess"));
      tracker.tick();

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).contains("no signature");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("X-Hub-Signature-256 does not match");
      assertThat(token.statusCode()).isEqualTo(401);
      assertThat(reads).isZero();
      assertThat(readsAsked.get()).isZero();
      assertThat(logs.text())
          .contains("webhook for shop/production from 127.0.0.1 rejected: no signature")
          .doesNotContain(SECRET);
      // The trail records the first rejection of a minute; the log has every one.
      assertThat(store.events(new AppEnv("shop", "production"), 10))
          .extracting(AuditEvent::getDetail)
          .containsOnlyOnce("rejected: " + none.body().substring("rejected: ".length()).strip())
          .noneMatch(d -> d.contains("is not the shared secret"));
      assertThat(logs.text()).contains("rejected: X-Gitlab-Token is not the shared secret");
    }
  }

  @Test
  void anApplicationWithoutAWebhook_andAWrongMethodOrPath_areRefused() throws Exception {
    assertThat(post("/hooks/blog/production", Map.of("X-Gitlab-Token", SECRET)).statusCode())
        .isEqualTo(404);
    assertThat(post("/hooks/shop", Map.of()).statusCode()).isEqualTo(404);
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(uri("/hooks/shop/production")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void aReplayedDelivery_isAnsweredWithoutReadingTheRemote_andRecordedOnce() throws Exception {
    Map<String, String> delivery =
        Map.of(
            "X-Hub-Signature-256",
            "sha256=" + WebhookSignature.hmacHex(PUSH, SECRET),
            "X-GitHub-Delivery",
            "72d3162e-cc78-11e3-81ab-4c9367dc0958");

    HttpResponse<String> first = post("/hooks/shop/production", delivery);
    tracker.tick();
    List<HttpResponse<String>> replays = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clock.advance(Tracker.NOTICE_GAP);
      replays.add(post("/hooks/shop/production", delivery));
      tracker.tick();
    }

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(replays).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(replays.get(0).body()).contains("already received");
    assertThat(reads).isEqualTo(1);
    assertThat(readsAsked.get()).isEqualTo(1);
    assertThat(store.events(new AppEnv("shop", "production"), 10))
        .extracting(AuditEvent::getDetail)
        .filteredOn(d -> d.contains("received again"))
        .hasSize(1);
  }

  @Test
  void aDeliveryIdIsRememberedPerApplication_andForgottenAfterTheWindow() throws Exception {
    Map<String, String> delivery =
        Map.of("X-Gitlab-Token", SECRET, "X-Gitlab-Event-UUID", "a1b2c3");

    assertThat(post("/hooks/shop/production", delivery).statusCode()).isEqualTo(202);
    clock.advance(DeliveryIds.WINDOW.plusSeconds(1));
    assertThat(post("/hooks/shop/production", delivery).statusCode()).isEqualTo(202);
  }

  @Test
  void deliveriesWithoutAnId_makeTheRemoteBeReadOncePerGap_coalesced() throws Exception {
    Map<String, String> signed =
        Map.of("X-Hub-Signature-256", "sha256=" + WebhookSignature.hmacHex(PUSH, SECRET));

    for (int i = 0; i < 20; i++) {
      assertThat(post("/hooks/shop/production", signed).statusCode()).isEqualTo(202);
      tracker.tick();
      clock.advance(Duration.ofSeconds(1));
    }
    int readsInTheFirstGaps = reads;
    clock.advance(Tracker.NOTICE_GAP);
    tracker.tick();

    // 20 deliveries over 20 s: one read at once, one after each gap, the last coalesced ones
    // read when the gap after them has passed.
    assertThat(readsInTheFirstGaps).isEqualTo(2);
    assertThat(reads).isEqualTo(3);
    tracker.tick();
    assertThat(reads).as("nothing pending any more").isEqualTo(3);
  }

  private HttpResponse<String> post(String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(PUSH));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("https://127.0.0.1:" + endpoint.port() + path);
  }
}
