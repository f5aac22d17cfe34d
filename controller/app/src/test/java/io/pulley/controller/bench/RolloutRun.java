package io.pulley.controller.bench;

import com.google.protobuf.Timestamp;
import io.pulley.controller.e2e.Cli;
import io.pulley.controller.e2e.Fleet;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.server.ControllerConfig;
import io.pulley.controller.server.ControllerServer;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase two, revision stored to live on every host: a real controller, real agents in this JVM, and
 * a manifest of plain resources (a directory, a file, a command) rolled out canary first, one host
 * per batch. Each release is applied through the CLI and timed until the rollout succeeded.
 */
final class RolloutRun {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRun.class);
  private static final String APP = "hello";
  private static final String ENV = "bench";
  private static final Duration WATCH_EVERY = Duration.ofMillis(50);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * One release: from the revision's stored stamp to the rollout's finish stamp (both the
   * controller's clock), and from before `pulley apply` until `pulley rollout status` said so.
   */
  record Delays(Duration storedToLive, Duration applyToSeen) {}

  List<Delays> run(int hosts, int releases, Path dir) throws Exception {
    ControllerConfig config =
        ControllerConfig.insecure(dir.resolve("controller"), new InetSocketAddress("127.0.0.1", 0));
    try (ControllerServer server =
            ControllerServer.start(config, new JGitRefResolver(), Clock.systemUTC());
        Fleet fleet = new Fleet()) {
      String address = "127.0.0.1:" + server.port();
      Cli cli = new Cli(address);
      Path srv = Files.createDirectories(dir.resolve("srv"));
      for (int i = 1; i <= hosts; i++) {
        fleet.start(address, "web-" + i, dir.resolve("agent-" + i), srv);
      }
      awaitConnected(cli, hosts);
      ControllerView view = new ControllerView(cli, APP, ENV);
      List<Delays> delays = new ArrayList<>();
      for (int release = 1; release <= releases; release++) {
        Instant applied = Instant.now();
        apply(cli, srv, dir, "v" + release);
        Rollout done = awaitSucceeded(view, release, hosts);
        Instant seen = Instant.now();
        Revision stored = view.revision().orElseThrow();
        if (stored.getNumber() != release) {
          throw new IllegalStateException("current revision is " + stored.getNumber());
        }
        Delays one =
            new Delays(
                Duration.between(instant(stored.getAppliedAt()), instant(done.getFinishedAt())),
                Duration.between(applied, seen));
        delays.add(one);
        LOG.info(
            "event=live release={} stored_to_live_ms={} apply_to_seen_ms={}",
            release,
            one.storedToLive().toMillis(),
            one.applyToSeen().toMillis());
      }
      return delays;
    }
  }

  private static void apply(Cli cli, Path srv, Path dir, String release) {
    Path app = srv.resolve(APP);
    Path manifest = dir.resolve("hello.yaml");
    try {
      Files.writeString(
          manifest,
          """
          application: %1$s
          environment: %2$s
          hosts: {labels: {role: web}}
          rollout: {canary: 1, batch: "1"}
          resources:
            - directory: {path: %3$s}
            - file: {path: %3$s/release.txt, content: "%4$s"}
            - id: check
              command: {argv: [/bin/true]}
          """
              .formatted(APP, ENV, app, release));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Cli.Result result = cli.run("apply", "-f", manifest.toString());
    if (result.exitCode() != 0) {
      throw new IllegalStateException("pulley apply failed: " + result);
    }
  }

  private static Rollout awaitSucceeded(ControllerView view, long revision, int hosts)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      Rollout rollout = view.rollout().orElse(null);
      if (rollout != null && rollout.getRevision() == revision) {
        if (rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_SUCCEEDED) {
          checkEveryHost(rollout, hosts);
          return rollout;
        }
        if (rollout.getStatus() != RolloutStatus.ROLLOUT_STATUS_RUNNING) {
          throw new IllegalStateException("rollout of revision " + revision + ": " + rollout);
        }
      }
      Thread.sleep(WATCH_EVERY.toMillis());
    }
    throw new IllegalStateException("revision " + revision + " not live within " + TIMEOUT);
  }

  // A rollout that succeeded over fewer hosts than were started measured something smaller.
  private static void checkEveryHost(Rollout rollout, int hosts) {
    int rolled = rollout.getBatchesList().stream().mapToInt(b -> b.getHostsCount()).sum();
    if (rolled != hosts) {
      throw new IllegalStateException(
          "rollout of revision " + rollout.getRevision() + " covered " + rolled + " of " + hosts);
    }
  }

  private static void awaitConnected(Cli cli, int hosts) throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      long connected = cli.run("hosts").out().lines().filter(l -> l.contains(" yes ")).count();
      if (connected == hosts) {
        return;
      }
      Thread.sleep(WATCH_EVERY.toMillis());
    }
    throw new IllegalStateException("not all " + hosts + " agents connected within " + TIMEOUT);
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
