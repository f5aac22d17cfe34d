package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proof of the zero-downtime handover, shared by its system test and its benchmark: the sample
 * site under load from wrk (closed loop) and httperf (open loop) while the agent hands it over
 * between two releases again and again, with a release that never gets healthy in the middle and
 * Celery tasks enqueued throughout; then, in the same harness and run, the negative controls that
 * show the harness sees failures: a naive restart of a Debian-style uWSGI unit, and a worker whose
 * whole control group is stopped. Every count comes from nginx's logs, the generators' summaries
 * and the task table.
 */
final class HandoverProof {
  static final String APP_ENV = "shop/production";
  static final String NAME = "shop-production";
  static final String DOMAIN = "shop.example.test";
  static final String BROKEN_VERSION = "9.9.9";
  static final String BROKEN_BEHIND_SITE_VERSION = "9.9.8";
  private static final String BEHIND_SITE = "release broken behind the site";
  static final String HELD_BACK = "its reconvergence";
  private static final String HEALTH_PATH = "/health";
  private static final Duration COLD = Duration.ofMinutes(15);
  private static final Duration WARM = Duration.ofMinutes(5);
  private static final String ACCESS_LOG = "/var/log/nginx/" + NAME + ".access.log";
  private static final String ERROR_LOG = "/var/log/nginx/" + NAME + ".error.log";

  /**
   * How big a run is.
   *
   * @param deploys handovers between the two releases
   * @param brokenAfter after how many of them the unhealthy release is tried
   * @param wrkConnections wrk's connections
   * @param httperfRate httperf's new connections per second
   * @param mode the manifest's stack.web.handover
   */
  record Plan(int deploys, int brokenAfter, int wrkConnections, int httperfRate, String mode) {}

  /** One deploy in the sequence: what was asked, how it ended, and when (epoch seconds). */
  record Deploy(String label, boolean succeeded, String outcome, double from, double to) {}

  /** Everything a run measured. */
  record Result(
      Plan plan,
      List<Deploy> deploys,
      AccessLog traffic,
      AccessLog steady,
      AccessLog handovers,
      List<String> upstreamErrors,
      List<LoadGenerator.Summary> generators,
      TaskCount tasks,
      NaiveRestart.Outcome naiveRestart,
      TaskCount cgroupStop,
      long clientClosedBeforeStop,
      List<String> closedConnections,
      List<String> nginxJournal,
      long brokenSiteChecks) {

    long socketErrors() {
      return generators.stream().mapToLong(LoadGenerator.Summary::socketErrors).sum();
    }

    String table() {
      StringBuilder t = new StringBuilder();
      t.append("| measure | value |\n|---|---|\n");
      row(t, "handovers (succeeded / asked)", succeeded() + " / " + deploys.size());
      row(t, "requests through nginx", traffic.requests());
      row(t, "failed requests (non-2xx except 499)", traffic.failed());
      row(
          t,
          "the agent's site checks of the release broken behind the site (not judged)",
          brokenSiteChecks);
      row(t, "499 before the generators stopped", clientClosedBeforeStop);
      row(
          t,
          "499 as the generators stopped (connections closed)",
          traffic.clientClosed() - clientClosedBeforeStop);
      row(t, "upstream errors in nginx's error log", upstreamErrors.size());
      for (LoadGenerator.Summary g : generators) {
        row(
            t,
            g.name() + ": requests / socket errors / read errors / non-2xx",
            g.requests() + " / " + g.socketErrors() + " / " + g.readErrors() + " / " + g.non2xx());
        g.text()
            .lines()
            .filter(l -> l.contains("Socket errors") || l.startsWith("Errors:"))
            .forEach(l -> row(t, g.name() + " says", l.strip()));
      }
      row(t, "X-Version cutovers seen", traffic.cutovers());
      row(t, "versions served", String.join(" → ", traffic.versions()));
      row(t, "steady p99 / worst", ms(steady.latency(0.99)) + " / " + ms(steady.latency(1)));
      row(
          t,
          "during handovers p99 / worst",
          ms(handovers.latency(0.99)) + " / " + ms(handovers.latency(1)));
      row(
          t,
          "p99 ratio, worst ratio (handover ÷ steady)",
          ratio(handovers.latency(0.99), steady.latency(0.99))
              + ", "
              + ratio(handovers.latency(1), steady.latency(1)));
      row(
          t,
          "Celery tasks enqueued / done / lost / run twice",
          tasks.enqueued() + " / " + tasks.done() + " / " + tasks.lost() + " / " + tasks.twice());
      row(
          t,
          "control: naive restarts → failed requests",
          naiveRestart.restarts()
              + " → "
              + naiveRestart.failed()
              + " ("
              + naiveRestart.upstreamErrors()
              + " upstream errors, "
              + naiveRestart.socketErrors()
              + " socket errors)");
      row(t, "kept-alive connections closed under load", closedConnections.size());
      for (String closed : closedConnections.stream().limit(20).toList()) {
        row(t, "connection closed at", closed);
      }
      for (String line : nginxJournal) {
        row(t, "nginx", line.replace('|', '/'));
      }
      for (String failure : traffic.failuresBySecond(15)) {
        row(t, "failures at", failure);
      }
      for (String error : upstreamErrors.stream().limit(10).toList()) {
        row(t, "upstream error", error.replace('|', '/'));
      }
      for (Deploy d : deploys) {
        row(
            t,
            "deploy " + d.label(),
            (d.succeeded() ? "ok " : "refused ") + clock(d.from()) + "–" + clock(d.to()));
      }
      if (cgroupStop != null) {
        row(
            t,
            "control: worker's cgroup stopped → tasks enqueued / lost",
            cgroupStop.enqueued() + " / " + cgroupStop.lost());
      }
      return t.toString();
    }

    long succeeded() {
      return deploys.stream().filter(Deploy::succeeded).count();
    }

    private static void row(StringBuilder t, String name, Object value) {
      t.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String clock(double epochSeconds) {
      return java.time.LocalTime.ofInstant(
              java.time.Instant.ofEpochMilli((long) (epochSeconds * 1000)),
              java.time.ZoneOffset.UTC)
          .withNano(0)
          .toString();
    }

    private static String ms(double seconds) {
      return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }

    private static String ratio(double a, double b) {
      return b == 0 ? "-" : String.format(Locale.ROOT, "%.1f×", a / b);
    }
  }

  private final SampleSite sample;
  private final Path work;
  private final Plan plan;

  HandoverProof(SampleSite sample, Path work, Plan plan) {
    this.sample = sample;
    this.work = work;
    this.plan = plan;
  }

  /** Runs the whole proof; {@code withCgroupControl} adds the Celery negative control. */
  Result run(boolean withCgroupControl) throws Exception {
    PristineServer server = sample.server();
    SampleRepository repository = sample.repository();
    Path manifest = SampleStackManifest.handedOver(work, repository.url(), "main", plan.mode());
    int first = deploy(manifest, COLD);
    repository.commit(Map.of("pulley_sample/VERSION", "2.0.0\n"), "version 2");
    int second = deploy(manifest, WARM);
    server.execOrThrow("apt-get", "install", "-y", "-q", "wrk", "httperf");
    // nginx closes a keep-alive connection after 1000 requests (keepalive_requests); wrk does
    // not retry a request that crosses that close and counts a read error, a client artefact
    // that no deploy causes. The generators' connections stay open for the whole run instead.
    server.writeFile("/etc/nginx/conf.d/pulley-load.conf", "keepalive_requests 100000000;\n");
    NginxReload.andWaitForOldWorkers(server);
    NaiveRestart control = NaiveRestart.install(server, NAME, DOMAIN);

    int logStart = lines(ACCESS_LOG);
    double loadStart = now();
    server.execOrThrow("truncate", "-s", "0", ERROR_LOG, "/var/log/nginx/error.log");
    List<LoadGenerator> load =
        List.of(
            LoadGenerator.wrk(server, "wrk", DOMAIN, 80, plan.wrkConnections()),
            LoadGenerator.httperf(server, "httperf", DOMAIN, 80, plan.httperfRate()));
    TaskFeed feed = TaskFeed.start(sample.site(DOMAIN), "handover", 0.5);
    List<Deploy> deploys = new ArrayList<>();
    List<LoadGenerator.Summary> summaries = new ArrayList<>();
    double steadyEnd;
    double stopAt;
    try {
      Thread.sleep(10_000); // steady state before the first handover
      steadyEnd = now();
      for (int i = 0; i < plan.deploys(); i++) {
        if (i == plan.brokenAfter()) {
          deploys.add(unhealthy(manifest));
          deploys.add(brokenBehindSite(manifest));
          deploys.add(reconvergedWhileHeldBack());
        }
        int to = i % 2 == 0 ? first : second;
        deploys.add(rollback(to, i % 2 == 0 ? "v1" : "v2"));
      }
      Thread.sleep(5_000); // steady again: the last handover's drain and stops are over
    } finally {
      stopAt = now();
      feed.stop();
      for (LoadGenerator generator : load) {
        summaries.add(generator.stop());
      }
    }
    AccessLog everything = AccessLog.parse(tail(ACCESS_LOG, logStart));
    // The agent's own site checks of the release broken behind the site are answered 503 by
    // design: they are how it is caught. Only those of its deploy: its reconvergence (every 20 s
    // here) holds it back and checks nothing through the site. Every other request is judged.
    Deploy behindSite =
        deploys.stream().filter(d -> d.label().startsWith(BEHIND_SITE)).findFirst().orElse(null);
    double brokenChecksEnd = behindSite == null ? 0 : behindSite.to();
    java.util.function.Predicate<AccessLog.Entry> siteCheckOfBroken =
        e ->
            behindSite != null
                && e.path().startsWith(HEALTH_PATH)
                && e.at() >= behindSite.from()
                && e.at() <= brokenChecksEnd;
    AccessLog traffic = everything.excluding(siteCheckOfBroken);
    long brokenSiteChecks = everything.requests() - traffic.requests();
    AccessLog handovers = traffic.during(deploys);
    TaskCount tasks = TaskCount.await(sample, feed.ids(), Duration.ofMinutes(3));
    List<String> errors = upstreamErrors(server, ERROR_LOG); // before the controls add theirs
    List<String> journal = nginxJournal(server, loadStart);

    NaiveRestart.Outcome naive = control.run(3);
    TaskCount cgroup = withCgroupControl ? CgroupStop.run(sample, server, NAME) : null;
    return new Result(
        plan,
        deploys,
        traffic,
        traffic.between(0, steadyEnd),
        handovers,
        errors,
        summaries,
        tasks,
        naive,
        cgroup,
        traffic.between(0, stopAt).clientClosed(),
        traffic.keptAliveClosedBefore(stopAt - 1),
        journal,
        brokenSiteChecks);
  }

  /** What systemd did to nginx while the load ran: a reload closes every kept-alive connection. */
  private static List<String> nginxJournal(PristineServer server, double since) {
    String text =
        server
            .execOrThrow(
                "journalctl",
                "-u",
                "nginx",
                "-o",
                "short-precise",
                "--no-pager",
                "--since",
                "@" + (long) since)
            .stdout();
    return text.lines().filter(l -> !l.startsWith("-- ")).toList();
  }

  private int deploy(Path manifest, Duration atMost) throws Exception {
    String before = sample.status().lastApply();
    int revision = sample.apply(manifest);
    StatusReport report = sample.awaitApplyOf(APP_ENV, revision, before, atMost);
    if (!report.succeeded()) {
      throw new IllegalStateException("deploy failed:\n" + report.text());
    }
    return revision;
  }

  private Deploy rollback(int revision, String label) throws Exception {
    String before = sample.status().lastApply();
    double from = now();
    int created = sample.rollback("shop", "production", revision);
    StatusReport report = sample.awaitApplyOf(APP_ENV, created, before, WARM);
    return new Deploy(label, report.succeeded(), report.outcomes().get("handover"), from, now());
  }

  /** A release whose health check answers 503: it must be refused at the handover. */
  private Deploy unhealthy(Path manifest) throws Exception {
    SampleRepository repository = sample.repository();
    repository.commit(
        Map.of(
            "pulley_sample/VERSION",
            BROKEN_VERSION + "\n",
            SampleHealth.VIEWS,
            SampleHealth.failing(repository.read(SampleHealth.VIEWS))),
        "a release that never gets healthy");
    return applyLabelled(manifest, "unhealthy release");
  }

  /**
   * A release healthy on its own socket that fails its health check through nginx (it answers 503
   * to any request nginx passes on, which carries DOCUMENT_ROOT): it stands for a release broken
   * only behind the real site, by a proxy header or an allowed-hosts list. It gets the socket link,
   * fails the site check, and must be switched back.
   */
  private Deploy brokenBehindSite(Path manifest) throws Exception {
    SampleRepository repository = sample.repository();
    repository.commit(
        Map.of(
            "pulley_sample/VERSION",
            BROKEN_BEHIND_SITE_VERSION + "\n",
            SampleHealth.VIEWS,
            SampleHealth.failingBehindSite(repository.read(SampleHealth.VIEWS))),
        "a release that fails only behind the site");
    return applyLabelled(manifest, BEHIND_SITE);
  }

  /**
   * Waits for the agent to apply the failed plan again by itself (its reconvergence): the release
   * broken behind the site must be held back, its site not checked, no request shown to it.
   */
  private Deploy reconvergedWhileHeldBack() throws Exception {
    String before = sample.status().lastApply();
    double from = now();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    StatusReport report = sample.status();
    while (report.lastApply().equals(before)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("no reconvergence within 2 minutes:\n" + report.text());
      }
      Thread.sleep(1000);
      report = sample.status();
    }
    String outcome = report.outcomes().get("handover");
    String label = HELD_BACK + ": " + outcome + " — " + reasonOf(report, "handover");
    return new Deploy(label, report.succeeded(), outcome, from, now());
  }

  /** Applies the manifest at the repository's newest commit; the label says how it ended. */
  private Deploy applyLabelled(Path manifest, String name) throws Exception {
    String before = sample.status().lastApply();
    double from = now();
    int revision = sample.apply(manifest);
    StatusReport report = sample.awaitApplyOf(APP_ENV, revision, before, WARM);
    String outcome = report.outcomes().get("handover");
    String label = name + ": " + outcome + " — " + reasonOf(report, "handover");
    return new Deploy(label, report.succeeded(), outcome, from, now());
  }

  private static String reasonOf(StatusReport report, String id) {
    return report.text().lines().filter(l -> l.contains(id)).findFirst().orElse("").strip();
  }

  private int lines(String file) {
    String out = sample.server().execOrThrow("wc", "-l", file).stdout().strip();
    return Integer.parseInt(out.split("\\s+")[0]);
  }

  private String tail(String file, int afterLines) {
    return sample.server().execOrThrow("tail", "-n", "+" + (afterLines + 1), file).stdout();
  }

  /**
   * Every line of the site's error log at level error or worse: with no client errors in the
   * traffic, each is nginx failing to reach or hear from uWSGI (connect() to unix:… failed,
   * upstream prematurely closed, timed out).
   */
  static List<String> upstreamErrors(PristineServer server, String errorLog) {
    // nginx's own log too: a worker process that dies takes its connections with it.
    String text =
        server.execOrThrow("cat", errorLog).stdout()
            + server.execOrThrow("cat", "/var/log/nginx/error.log").stdout();
    return text.lines()
        .filter(
            l ->
                l.contains("[error]")
                    || l.contains("[crit]")
                    || l.contains("[alert]")
                    || l.contains("[emerg]"))
        .toList();
  }

  static double now() {
    return System.currentTimeMillis() / 1000.0;
  }
}
