package io.pulley.controller.bench;

import io.pulley.controller.e2e.Cli;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.server.ControllerConfig;
import io.pulley.controller.server.ControllerServer;
import io.pulley.controller.tracking.WebhookSignature;
import io.pulley.testing.TestRepository;
import io.pulley.v1.Revision;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase one, tag push to revision stored: a real controller tracking a real Git repository read
 * through a file:// URL, a tag created in it, and the delay until the controller stored the
 * revision for it, by the controller's own timestamp. No agents: a tracked manifest needs a stack,
 * whose resources the agents cannot apply on a bench machine.
 */
final class TrackingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrackingRun.class);
  private static final String APP = "shop";
  private static final String ENV = "bench";
  private static final String SECRET_NAME = "push-hook";
  private static final Duration WATCH_EVERY = Duration.ofMillis(50);
  private static final Duration TIMEOUT_BEYOND_INTERVAL = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newHttpClient();
  private final Random random;

  TrackingRun(Random random) {
    this.random = random;
  }

  Samples run(TrackingMode mode, int pushes, Path dir) throws Exception {
    ControllerConfig config =
        ControllerConfig.insecure(dir.resolve("controller"), loopback()).withWebhooks(loopback());
    try (ControllerServer server =
            ControllerServer.start(config, new JGitRefResolver(), Clock.systemUTC());
        TestRepository repository = TestRepository.create(dir.resolve("repo"))) {
      Cli cli = new Cli("127.0.0.1:" + server.port());
      ControllerView view = new ControllerView(cli, APP, ENV);
      String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
      repository.annotatedTag("v1.0.0");
      start(cli, mode, secret, repository.url(), dir);
      long number = await(view, 1, Duration.ofSeconds(30)).getNumber();
      List<Duration> delays = new ArrayList<>();
      for (int i = 1; i <= pushes; i++) {
        // A push at a random moment of the polling cycle, not always just after a read.
        Thread.sleep((long) (random.nextDouble() * waitBefore(mode).toMillis()));
        repository.commit("README", "release " + i + "\n");
        repository.annotatedTag("v1." + i + ".0");
        Instant pushed = Instant.now();
        if (mode.webhook()) {
          postPush(server.webhookPort(), "v1." + i + ".0", secret);
        }
        Revision stored = await(view, ++number, mode.interval().plus(TIMEOUT_BEYOND_INTERVAL));
        check(stored, mode, "v1." + i + ".0");
        Duration delay = Duration.between(pushed, instant(stored));
        delays.add(delay);
        LOG.info("event=stored mode=\"{}\" push={} delay_ms={}", mode.name(), i, delay.toMillis());
      }
      return new Samples(delays);
    }
  }

  private static void start(Cli cli, TrackingMode mode, String secret, String url, Path dir)
      throws Exception {
    if (mode.webhook()) {
      expectOk(cli.runWithInput(secret, "secret", "set", APP, ENV, SECRET_NAME));
    }
    Path manifest = dir.resolve("shop.yaml");
    Files.writeString(
        manifest,
        """
        application: %s
        environment: %s
        hosts: {labels: {role: no-such-host}}
        track: {tags: "v*", interval_seconds: %d%s}
        stack:
          git: {url: "%s", ref: v1.0.0}
          web: {wsgi: app.wsgi}
          site: {domains: [shop.example.com]}
        """
            .formatted(
                APP,
                ENV,
                mode.interval().toSeconds(),
                mode.webhook() ? ", webhook_secret: " + SECRET_NAME : "",
                url));
    expectOk(cli.run("apply", "-f", manifest.toString()));
  }

  private void postPush(int port, String tag, String secret) throws Exception {
    byte[] body = ("{\"ref\":\"refs/tags/" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/" + APP + "/" + ENV))
            .header("X-Hub-Signature-256", "sha256=" + WebhookSignature.hmacHex(body, secret))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IllegalStateException(
          "webhook answered " + response.statusCode() + ": " + response.body().strip());
    }
  }

  private static Revision await(ControllerView view, long number, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Revision current = view.revision().orElse(null);
      if (current != null && current.getNumber() >= number) {
        return current;
      }
      Thread.sleep(WATCH_EVERY.toMillis());
    }
    throw new IllegalStateException("revision " + number + " not stored within " + timeout);
  }

  // A revision from the wrong tag, or noticed the other way, would make the figure a lie.
  private static void check(Revision stored, TrackingMode mode, String tag) {
    String ref = stored.getManifest().getStack().getGit().getRef();
    if (!ref.equals(tag) || !stored.getTrigger().endsWith(mode.seenBy())) {
      throw new IllegalStateException(
          "revision "
              + stored.getNumber()
              + " is "
              + ref
              + " ("
              + stored.getTrigger()
              + "); expected "
              + tag
              + ", "
              + mode.seenBy());
    }
  }

  private static Duration waitBefore(TrackingMode mode) {
    // Beside a webhook only the tracker's one-second tick matters.
    return mode.webhook() ? Duration.ofSeconds(1) : mode.interval();
  }

  private static Instant instant(Revision revision) {
    return Instant.ofEpochSecond(
        revision.getAppliedAt().getSeconds(), revision.getAppliedAt().getNanos());
  }

  private static void expectOk(Cli.Result result) {
    if (result.exitCode() != 0) {
      // Its error text alone: the CLI never repeats a secret it read, so this is safe to log.
      throw new IllegalStateException("pulley failed: " + result.err().strip());
    }
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress("127.0.0.1", 0);
  }
}
