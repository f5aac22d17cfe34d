package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.TestNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sample Pyramid application deployed by its stack manifest onto one pristine Debian 13 server:
 * nginx, uWSGI, Celery, PostgreSQL and Redis installed and configured by the agent. The steps build
 * on each other (one server, as an admin would live through them), so they run in order and share
 * the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackIT {
  private static final Duration COLD = Duration.ofMinutes(15);
  private static final Duration WARM = Duration.ofMinutes(3);
  private static final String APP_ENV = "shop/production";
  private static final String NAME = "shop-production";

  /** Production's firewall section: its site's port, SSH, nothing else. */
  private static final String FIREWALL = "{confirm_seconds: 15}";

  private static Path work;
  private static SampleSite sample;
  private static SampleRepository repository;
  private static SiteClient site;
  private static String firstCommit;
  private static String firstVersion;
  private static PristineServer outsider;

  /** The mail relay's stand-in on the outsider, and the name production's mail section gives it. */
  private static SmtpSink sink;

  private static final String RELAY = "relay.pulley.test";
  private static final String RELAY_LOGIN = "alerts@shop.example.test";

  /** Production's mail section; its relay_ca is the sink's, known once the sink is up. */
  private static String mail;

  /** The revision live after the hand-edit test, for the tests after it. */
  private static int liveRevision;

  @BeforeAll
  static void boot() throws Exception {
    work = Files.createTempDirectory("pulley-stack-it");
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    // The relay boots beside the server: production sends mail from its first apply on.
    CompletableFuture<SmtpSink> relay =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SmtpSink.start(outsider(), RELAY, RELAY_LOGIN, password);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    sample = SampleSite.start(work, ProcessHandle.current().pid() + "-stack");
    repository = sample.repository();
    site = sample.site("shop.example.test");
    sink = relay.join();
    // The relay's name resolves on the server as a DNS record would make it.
    sample
        .server()
        .execOrThrow("sh", "-c", "echo '" + outsider().address() + " " + RELAY + "' >> /etc/hosts");
    HostController.Cli set =
        sample
            .controller()
            .pulleyWithInput(password, "secret", "set", "shop", "production", "smtp");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    mail =
        "  mail:\n    relay: "
            + RELAY
            + "\n    username: "
            + RELAY_LOGIN
            + "\n    password_secret: smtp\n    root_to: [ops@shop.example.test]\n"
            + "    disk_alert_percent: 1\n    upgrade_report: always\n    relay_ca: |\n"
            + sink.caPem().strip().indent(6);
  }

  @AfterAll
  static void shutDown() {
    if (outsider != null) {
      outsider.close();
    }
    if (sample != null) {
      sample.close();
    }
  }

  @Test
  @Order(1)
  void pristineServer_servesTheSite_withItsDatabaseQueueAndStaticFiles() throws Exception {
    firstCommit = repository.head();
    firstVersion = version();
    int revision = sample.apply(production());

    StatusReport report = sample.awaitApplyOf(APP_ENV, revision, "", COLD);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    assertThat(report.resourcesWith("failed", "skipped")).as(report.text()).isEmpty();

    SiteClient.Response home = site.get("/");
    assertThat(home.status()).isEqualTo(200);
    assertThat(home.header("X-Version")).isEqualTo(version());
    assertThat(site.get("/health").body()).contains("ok");
    assertThat(sample.psql("shop_production", "select count(*) from task").strip()).isEqualTo("0");

    SiteClient.Response enqueued = site.get("/enqueue?message=hello");
    assertThat(enqueued.status()).as(enqueued.body()).isEqualTo(200);
    String id = taskId(enqueued.body());
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> site.get("/tasks/" + id).body().contains("\"status\": \"done\""));
    assertThat(
            sample.psql("shop_production", "select count(*) from task where done_at is not null"))
        .contains("1");

    SiteClient.Response css = site.get("/static/style.css");
    assertThat(css.status()).isEqualTo(200);
    // nginx served it itself: no upstream took part in that request.
    assertThat(lastAccessLogLine()).contains("/static/style.css").contains("upstream_status=-");
    // Who logs in is told where things are.
    assertThat(sample.server().execOrThrow("cat", "/etc/motd.d/pulley-" + NAME).stdout())
        .contains("shop/production is deployed by Pulley")
        .contains("/var/log/nginx/" + NAME + ".access.log")
        .contains("/srv/" + NAME + "/dumps/");
    // Security updates every day; unattended-upgrades reads the same settings apt does.
    assertThat(
            sample
                .server()
                .execOrThrow("apt-config", "dump", "APT::Periodic", "Unattended-Upgrade")
                .stdout())
        .contains("APT::Periodic::Unattended-Upgrade \"1\";")
        .contains("Unattended-Upgrade::Automatic-Reboot \"true\";")
        .contains("Unattended-Upgrade::Automatic-Reboot-Time \"04:00\";");
    assertThat(
            sample
                .server()
                .exec(
                    Duration.ofMinutes(3), "sh", "-c", "unattended-upgrade --dry-run --debug 2>&1")
                .orThrow()
                .stdout())
        .contains("Allowed origins are:")
        .contains("Debian-Security");
  }

  @Test
  @Order(2)
  void applyAgain_changesNothing_andRestartsNothing() throws Exception {
    List<String> units = sample.runningUnits(NAME + "-*");
    units.addAll(List.of("nginx.service", "redis-server.service"));
    assertThat(units)
        .contains(
            NAME + "-uwsgi@" + firstCommit + ".service",
            NAME + "-celery-worker@" + firstCommit + ".service",
            NAME + "-celery-beat.service");
    Map<String, String> pids = sample.mainPids(units);
    String before = sample.status().lastApply();

    // The agent re-applies its plan by itself (reconverge_interval in its configuration).
    StatusReport again = sample.awaitApplyOf(APP_ENV, 1, before, WARM);

    assertThat(again.succeeded()).as(again.text()).isTrue();
    assertThat(again.resourcesWith("changed", "failed", "skipped")).as(again.text()).isEmpty();
    assertThat(sample.mainPids(units)).isEqualTo(pids);
  }

  @Test
  @Order(3)
  void newCommit_goesLive_keepsTheOldRelease_andRollbackReturnsWithoutRebuilding()
      throws Exception {
    String second = repository.commit(Map.of("pulley_sample/VERSION", "2.0.0\n"), "version 2");
    String before = sample.status().lastApply();
    String mark = agentLogMark();
    int revision = sample.apply(production());

    StatusReport deployed = sample.awaitApplyOf(APP_ENV, revision, before, WARM);
    assertThat(deployed.succeeded()).as(deployed.text()).isTrue();
    assertThat(site.get("/").header("X-Version")).isEqualTo("2.0.0");
    assertThat(
            sample.server().execOrThrow("readlink", "/srv/" + NAME + "/current").stdout().strip())
        .isEqualTo("releases/" + second);
    assertThat(sample.server().exec("test", "-d", "/srv/" + NAME + "/releases/" + firstCommit).ok())
        .isTrue();
    // The database was dumped before the release's migration, and the dump restores.
    assertThat(outcomesLoggedSince(mark, "dump:database")).containsOnlyOnce("changed");
    String dump = dumpOf(second);
    sample.psql("postgres", "create database restored owner shop_production");
    sample
        .server()
        .execOrThrow(
            "sh",
            "-c",
            "runuser -u postgres -- pg_restore --no-owner --role=shop_production"
                + " --single-transaction --dbname=restored < "
                + dump);
    assertThat(sample.psql("restored", "select count(*) from task").strip())
        .isEqualTo(sample.psql("shop_production", "select count(*) from task").strip());

    String beforeRollback = sample.status().lastApply();
    // The release being left ran its migration (no change to the schema): the admin is told so,
    // and where the dump from before it is.
    assertThat(deployed.outcomes()).containsEntry("schema:database", "unchanged");
    String said = sample.rollbackSaying("shop", "production", 1);
    assertThat(said)
        .contains(
            "note: web-1: the schema of shop_production is as it was before this release's"
                + " commands (")
        .contains("the dump from before them: " + dump + ". Going back needs no restore");
    int rolledBack = SampleSite.revisionIn(said);

    StatusReport back = sample.awaitApplyOf(APP_ENV, rolledBack, beforeRollback, WARM);
    assertThat(back.succeeded()).as(back.text()).isTrue();
    assertThat(site.get("/").header("X-Version")).isEqualTo(firstVersion);
    assertThat(back.outcomes())
        .containsEntry("release:checkout", "unchanged")
        .containsEntry("venv", "unchanged")
        .containsEntry("dump:database", "unchanged")
        .containsEntry("handover", "changed");
    // The release handed over from runs no more: one uWSGI and one worker, both the live one's.
    assertThat(sample.runningUnits(NAME + "-uwsgi@*"))
        .containsExactly(NAME + "-uwsgi@" + firstCommit + ".service");
    assertThat(sample.runningUnits(NAME + "-celery-worker@*"))
        .containsExactly(NAME + "-celery-worker@" + firstCommit + ".service");
  }

  @Test
  @Order(4)
  void releaseWhoseImportFails_isRejected_andTheLiveReleaseKeepsServing() throws Exception {
    String live = site.get("/").header("X-Version");
    repository.commit(
        Map.of(
            "pulley_sample/__init__.py",
            repository.read("pulley_sample/__init__.py")
                + "\nraise RuntimeError('broken on purpose')\n"),
        "break the import");
    String before = sample.status().lastApply();
    int revision = sample.apply(production());

    StatusReport failed = sample.awaitApplyOf(APP_ENV, revision, before, WARM);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.outcomes())
        .containsEntry("check:import", "failed")
        .containsEntry("handover", "skipped");
    assertThat(failed.text()).contains("output of check:import").contains("broken on purpose");
    assertThat(site.get("/").header("X-Version")).isEqualTo(live);
  }

  @Test
  @Order(5)
  void releaseWhoseMigrationFails_isRejected_andTheLiveReleaseKeepsServing() throws Exception {
    String live = site.get("/").header("X-Version");
    repository.commit(
        Map.of(
            "pulley_sample/__init__.py",
            repository
                .read("pulley_sample/__init__.py")
                .replace("\nraise RuntimeError('broken on purpose')\n", ""),
            "migrations/versions/9999_broken.py",
            SampleMigrations.failingAfter(repository)),
        "a migration that fails");
    String before = sample.status().lastApply();
    int revision = sample.apply(production());

    StatusReport failed = sample.awaitApplyOf(APP_ENV, revision, before, WARM);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.outcomes())
        .containsEntry("check:import", "changed")
        .containsEntry("command:migrate", "failed")
        .containsEntry("handover", "skipped");
    assertThat(failed.text()).contains("output of command:migrate").contains("fails on purpose");
    assertThat(site.get("/").header("X-Version")).isEqualTo(live);
  }

  @Test
  @Order(6)
  void handEditedConfiguration_isReportedAsDrift_andCorrected() throws Exception {
    repository.commit(
        Map.of("migrations/versions/9999_broken.py", SampleMigrations.harmlessAfter(repository)),
        "fix the migration");
    String before = sample.status().lastApply();
    int revision = sample.apply(production());
    StatusReport fixed = sample.awaitApplyOf(APP_ENV, revision, before, WARM);
    assertThat(fixed.succeeded()).as(fixed.text()).isTrue();
    liveRevision = revision;
    String siteFile = "/etc/nginx/sites-enabled/" + NAME + ".conf";
    String declared = sample.server().execOrThrow("cat", siteFile).stdout();

    String mark = agentLogMark();
    sample.server().writeFile(siteFile, declared + "# edited by hand\n");

    sample.awaitApplyOf(APP_ENV, revision, fixed.lastApply(), WARM);
    assertThat(outcomesLoggedSince(mark, "file:nginx-site")).containsOnlyOnce("changed");
    assertThat(sample.server().journalAfter("pulley-agent", mark))
        .contains("drift")
        .contains("edited by hand");
    assertThat(sample.server().execOrThrow("cat", siteFile).stdout()).isEqualTo(declared);
  }

  @Test
  @Order(7)
  void postgresqlsClusterDown_underItsActiveWrapperUnit_isFoundRestartedAndReportedAsDrift()
      throws Exception {
    String before = sample.status().lastApply();
    // Debian's postgresql.service is a wrapper that stays active; the cluster is its own unit.
    String cluster =
        sample
            .server()
            .execOrThrow(
                "sh",
                "-c",
                "systemctl list-units --plain --no-legend 'postgresql@*' | cut -d' ' -f1")
            .stdout()
            .strip();
    assertThat(cluster).startsWith("postgresql@").endsWith("-main.service");
    sample.server().execOrThrow("systemctl", "stop", cluster);
    assertThat(sample.server().exec("systemctl", "is-active", "postgresql.service").ok()).isTrue();

    // The agent re-applies its plan by itself (reconverge_interval in its configuration).
    StatusReport found = sample.awaitApplyOf(APP_ENV, liveRevision, before, WARM);

    assertThat(found.outcomes()).as(found.text()).containsEntry("service:postgresql", "changed");
    assertThat(found.text()).contains("did not answer");
    assertThat(found.succeeded()).as(found.text()).isTrue();
    assertThat(sample.server().exec("systemctl", "is-active", cluster).ok()).isTrue();
  }

  @Test
  @Order(8)
  void agentKilledMidDeploy_resumesWhenRestarted_andTheReleaseIsWholeAndAloneLive()
      throws Exception {
    // Inside the longest step, and inside the switch of the web and worker instances; the full
    // sweep over every step is the crash benchmark.
    Map<String, Duration> kills =
        Map.of("venv", Duration.ofMillis(800), "handover", Duration.ofMillis(1500));
    int n = 0;
    for (String step : List.of("venv", "handover")) {
      n++;
      String commit =
          repository.commit(Map.of("pulley_sample/VERSION", "3." + n + ".0\n"), "crash " + step);
      String before = sample.status().lastApply();
      String oldPlan = AgentCrash.appliedPlan(sample.server());
      int revision = sample.apply(production());

      AgentCrash.killWhileConverging(sample.server(), oldPlan, step, kills.get(step), WARM);
      StatusReport resumed = sample.awaitApplyOf(APP_ENV, revision, before, WARM);

      assertThat(resumed.succeeded()).as(resumed.text()).isTrue();
      liveRevision = revision;
      assertThat(resumed.text()).contains("resumed an apply interrupted at " + APP_ENV + " ");
      assertThat(site.get("/").header("X-Version")).isEqualTo("3." + n + ".0");
      assertThat(sample.runningUnits(NAME + "-uwsgi@*"))
          .containsExactly(NAME + "-uwsgi@" + commit + ".service");
      assertThat(sample.runningUnits(NAME + "-celery-worker@*"))
          .containsExactly(NAME + "-celery-worker@" + commit + ".service");
      String release = "/srv/" + NAME + "/releases/" + commit;
      assertThat(AgentCrash.blobsOnServer(sample.server(), release))
          .containsAllEntriesOf(repository.blobs(commit));
      assertThat(
              sample
                  .server()
                  .execOrThrow(
                      release + "/venv/bin/python", "-c", "import pulley_sample.models, celery")
                  .ok())
          .isTrue();
    }
  }

  @Test
  @Order(9)
  void reboot_ofAConvergedServer_changesNothing_andRestartsNothing() throws Exception {
    String before = sample.status().lastApply();

    sample.server().reboot();

    await().atMost(WARM).ignoreExceptions().until(() -> site.get("/").status() == 200);
    // The agent reconverges at its start: the last apply is older than its interval.
    StatusReport after = sample.awaitApplyOf(APP_ENV, liveRevision, before, WARM);
    assertThat(after.succeeded()).as(after.text()).isTrue();
    assertThat(after.resourcesWith("changed", "failed", "skipped")).as(after.text()).isEmpty();
    String live =
        sample.server().execOrThrow("readlink", "/srv/" + NAME + "/current").stdout().strip();
    String commit = live.substring(live.lastIndexOf('/') + 1);
    for (String unit :
        List.of(
            NAME + "-uwsgi@" + commit + ".service",
            NAME + "-celery-worker@" + commit + ".service",
            NAME + "-celery-beat.service")) {
      // Started once in this boot, by systemd: the agent restarted none of them.
      assertThat(starts(unit)).as(unit).isEqualTo(1);
    }
  }

  @Test
  @Order(10)
  void fullDisk_failsTheApplyNamingTheCause_theSiteKeepsServing_andFreedSpaceHeals()
      throws Exception {
    // The configuration on a small file system of its own, filled up: the server's own disk is
    // this machine's and is not filled by a test.
    String config = "/srv/" + NAME + "/shared/config";
    sample
        .server()
        .execOrThrow(
            "sh",
            "-c",
            "set -e; c="
                + config
                + "; rm -rf /root/config-copy; cp -a $c /root/config-copy;"
                + " mount -t tmpfs -o size=256k,mode=0750,gid=$(stat -c %g $c) tmpfs $c;"
                + " cp -a /root/config-copy/. $c/;"
                + " printf '# edited by hand\n' >> $c/uwsgi.ini;"
                + " dd if=/dev/zero of=$c/.filler bs=4k 2> /dev/null || true");
    String before = sample.status().lastApply();

    StatusReport full = sample.awaitApplyOf(APP_ENV, liveRevision, before, WARM);

    assertThat(full.succeeded()).isFalse();
    assertThat(full.outcomes()).containsEntry("file:uwsgi-ini", "failed");
    String row = full.text().lines().filter(l -> l.contains("file:uwsgi-ini")).findFirst().get();
    assertThat(row).contains("No space left on device");
    assertThat(site.get("/").status()).isEqualTo(200);

    sample.server().execOrThrow("rm", config + "/.filler");
    StatusReport healed =
        await()
            .atMost(WARM)
            .until(
                () -> sample.status(),
                r -> r.succeeded() && !r.lastApply().equals(full.lastApply()));
    assertThat(healed.outcomes()).containsEntry("file:uwsgi-ini", "changed");
    await().atMost(WARM).ignoreExceptions().until(() -> site.get("/").status() == 200);
    sample.server().execOrThrow("umount", config);
  }

  private static int starts(String unit) {
    String log = sample.server().execOrThrow("journalctl", "-b", "-u", unit, "-o", "cat").stdout();
    return (int) log.lines().filter(l -> l.startsWith("Started ")).count();
  }

  @Test
  @Order(11)
  void stagingOverTlsBehindAPassword_redirectsHttp_refusesAnonymousRequests_admitsThePassword()
      throws Exception {
    String before = sample.status().lastApply();
    int revision =
        sample.apply(
            SampleStackManifest.staging(
                work, repository.url(), "main", "tester:" + sha1Hash("s3cret-pass")));
    StatusReport report = sample.awaitApplyOf("shop/staging", revision, before, COLD);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    SiteClient http = sample.site("staging.shop.example.test");
    SiteClient staging = http.overTls(443);

    SiteClient.Response redirect = http.get("/");
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.header("Location")).isEqualTo("https://staging.shop.example.test/");
    SiteClient.Response anonymous = staging.get("/");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("Strict-Transport-Security")).contains("max-age=63072000");
    assertThat(staging.get("/", "tester", "wrong").status()).isEqualTo(401);
    SiteClient.Response admitted = staging.get("/", "tester", "s3cret-pass");
    assertThat(admitted.status()).isEqualTo(200);
    assertThat(admitted.header("X-Version")).isNotEmpty();
  }

  @Test
  @Order(12)
  void siteThatNginxRefuses_isPutBack_notLoaded_andBothSitesKeepServing() throws Exception {
    String siteFile = "/etc/nginx/sites-enabled/shop-staging.conf";
    String loaded = sample.server().execOrThrow("cat", siteFile).stdout();
    String nginxMaster = sample.server().execOrThrow("cat", "/run/nginx.pid").stdout().strip();
    String workers = nginxWorkers(nginxMaster);
    String before = sample.status().lastApply();
    int revision =
        sample.apply(
            SampleStackManifest.staging(
                work,
                repository.url(),
                "main",
                "tester:" + sha1Hash("s3cret-pass"),
                "/etc/ssl/certs/missing-on-purpose.pem"));

    StatusReport refused = sample.awaitApplyOf("shop/staging", revision, before, WARM);

    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.outcomes()).containsEntry("file:nginx-site", "failed");
    assertThat(refused.text())
        .contains("the previous content was put back")
        .contains("missing-on-purpose.pem");
    assertThat(sample.server().execOrThrow("cat", siteFile).stdout()).isEqualTo(loaded);
    // Not reloaded: the same worker processes serve, and both sites answer as before.
    assertThat(nginxWorkers(nginxMaster)).isEqualTo(workers);
    SiteClient staging = sample.site("staging.shop.example.test").overTls(443);
    assertThat(staging.get("/", "tester", "s3cret-pass").status()).isEqualTo(200);
    assertThat(site.get("/").status()).isEqualTo(200);
  }

  @Test
  @Order(13)
  void firewall_letsTheSitesAndSshIn_dropsAnotherPort_andTakesBackARulesetThatCutsTheAgentOff()
      throws Exception {
    PristineServer server = sample.server();
    String address = server.address();
    server.execOrThrow(
        "systemd-run", "--unit=pulley-test-listener", "python3", "-m", "http.server", "8999");
    await().atMost(Duration.ofSeconds(30)).until(() -> connects(server, "127.0.0.1", 8999));

    try {
      PristineServer outsider = outsider();
      // Production's part turns the firewall on; staging's (no section) only opens its ports.
      assertThat(connects(outsider, address, 80)).as("the site").isTrue();
      assertThat(connects(outsider, address, 443)).as("staging's HTTPS").isTrue();
      assertThat(connects(outsider, address, 22)).as("ssh").isTrue();
      assertThat(connects(outsider, address, 8999)).as("a port no part opens").isFalse();
      String confirmed = table(server);
      assertThat(confirmed).contains("policy drop;", "tcp dport 22 accept");

      // The controller is on the test network's host address: dropping it cuts the agent off.
      String before = sample.status().lastApply();
      int cut =
          sample.apply(
              SampleStackManifest.firewalled(
                  work,
                  repository.url(),
                  "main",
                  "{confirm_seconds: 15, deny_from: [" + TestNetwork.HOST_ADDRESS + "]}",
                  mail));
      // The report arrives: the agent reached the controller again.
      StatusReport takenBack = sample.awaitApplyOf(APP_ENV, cut, before, WARM);

      assertThat(takenBack.outcomeOf(APP_ENV, "firewall")).as(takenBack.text()).isEqualTo("failed");
      assertThat(takenBack.text())
          .contains("cut this host off from its controller")
          .contains("the previous ruleset is back");
      assertThat(table(server)).isEqualTo(confirmed);
      assertThat(
              server
                  .execOrThrow("systemctl", "list-units", "--all", "pulley-firewall-revert*")
                  .stdout())
          .contains("0 loaded units");
      assertThat(connects(outsider, address, 80)).isTrue();
      assertThat(connects(outsider, address, 8999)).isFalse();

      String failed = sample.status().lastApply();
      int back = sample.apply(production());
      StatusReport again = sample.awaitApplyOf(APP_ENV, back, failed, WARM);
      assertProductionConverged(again);
      assertThat(again.outcomeOf(APP_ENV, "firewall")).isEqualTo("unchanged");
    } finally {
      server.exec("systemctl", "stop", "pulley-test-listener");
    }
  }

  @Test
  @Order(14)
  void fail2ban_bansAnAddressAfterRepeatedWrongPasswords_fromTheSiteOnly() throws Exception {
    PristineServer server = sample.server();
    String jail = "pulley-shop-staging-auth";
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> server.exec("fail2ban-client", "status", jail).ok());
    assertThat(server.execOrThrow("fail2ban-client", "status", "sshd").stdout())
        .contains("Currently banned:\t0");
    PristineServer outsider = outsider();
    outsider
        .exec(
            Duration.ofMinutes(5),
            "sh",
            "-c",
            "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl")
        .orThrow();
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(stagingStatus(outsider, server.address(), "tester:wrong")).isEqualTo("401");
      }

      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  server
                      .execOrThrow("fail2ban-client", "status", jail)
                      .stdout()
                      .contains(outsider.address()));
      // The jail lists the address as it bans it; the ban on the wire follows.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !connects(outsider, server.address(), 443));
      assertThat(connects(outsider, server.address(), 22)).as("not from SSH").isTrue();
      assertThat(site.get("/").status()).as("others still served").isEqualTo(200);
    } finally {
      server.exec("fail2ban-client", "unban", "--all");
    }
  }

  @Test
  @Order(15)
  void mail_reachesTheRelay_overCheckedTls_withItsLogin_fromRootCronTheDiskAlertAndUpgrades()
      throws Exception {
    PristineServer server = sample.server();
    server.execOrThrow(
        "sh", "-c", "printf 'Subject: hello from shop\\n\\nbody\\n' | /usr/sbin/sendmail root");
    server.execOrThrow("systemctl", "start", "pulley-disk-alert.service");
    server.exec(Duration.ofMinutes(5), "unattended-upgrade").orThrow();

    List<String> subjects =
        List.of(
            "Subject: hello from shop",
            "disk usage at 1% or more",
            "Subject: unattended-upgrades result for");
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> subjects.stream().allMatch(sink.received()::contains));
    assertThat(sink.received())
        .contains("== AUTH " + RELAY_LOGIN + " FROM " + RELAY_LOGIN + " TO ops@shop.example.test")
        .doesNotContain("== AUTH -");
    // Postfix takes mail from sendmail only: no port of its own, not even on loopback.
    assertThat(server.execOrThrow("ss", "-Hltnp").stdout()).doesNotContain("\"master\"");
    assertThat(server.execOrThrow("systemctl", "is-active", "pulley-disk-alert.timer").stdout())
        .contains("active");
  }

  @Test
  @Order(16)
  void migrationThatDropsAColumn_isNotedAtRollback_andItsDumpBringsTheColumnBackForTheOldCode()
      throws Exception {
    int live = sample.apply(production());
    String liveCommit =
        sample
            .server()
            .execOrThrow("readlink", "/srv/" + NAME + "/current")
            .stdout()
            .strip()
            .substring("releases/".length());
    String retired =
        repository.commit(SampleMigrations.dropRunsColumn(repository), "retire the runs counter");
    String before = sample.status().lastApply();
    String mark = agentLogMark();
    int revision = sample.apply(production());

    StatusReport dropped = sample.awaitApplyOf(APP_ENV, revision, before, WARM);
    assertProductionConverged(dropped);
    assertThat(outcomesLoggedSince(mark, "dump:database")).containsOnlyOnce("changed");
    assertThat(runsColumns()).isEqualTo("0");
    String written = taskId(site.get("/enqueue?message=after-the-drop").body());
    String dump = dumpOf(retired);

    String beforeRollback = sample.status().lastApply();
    String said = sample.rollbackSaying("shop", "production", live);
    assertThat(said)
        .contains("note: web-1: the schema of shop_production changed in this release: ")
        .contains(
            "the dump from before them: " + dump + ". The code you go back to meets the newer");
    liveRevision = SampleSite.revisionIn(said);
    StatusReport back = sample.awaitApplyOf(APP_ENV, liveRevision, beforeRollback, WARM);
    assertProductionConverged(back);
    // The older code writes the column the migration dropped: it fails until the dump is restored
    // (uWSGI closes the request its application raised in, so nginx answers 502).
    assertThat(site.get("/enqueue?message=before-the-restore").status())
        .isGreaterThanOrEqualTo(500);

    // The restore as docs/stack.md gives it, then the live release's units started again. The
    // agent is stopped meanwhile: its reconvergence (every 20 s here) would start the units the
    // restore stopped, or restart the worker whose ping fails, in the middle of it.
    List<String> units = sample.runningUnits(NAME + "-*");
    assertThat(units).contains(NAME + "-uwsgi@" + liveCommit + ".service");
    sample
        .server()
        .exec(
            Duration.ofMinutes(3),
            "sh",
            "-c",
            "systemctl stop pulley-agent && systemctl stop '"
                + NAME
                + "-uwsgi@*' '"
                + NAME
                + "-celery-worker@*' "
                + NAME
                + "-celery-beat && runuser -u postgres -- pg_restore --clean --if-exists"
                + " --no-owner --role=shop_production --single-transaction"
                + " --dbname=shop_production < "
                + dump
                + " && systemctl start "
                + String.join(" ", units)
                + "; restored=$?; systemctl start pulley-agent; exit $restored")
        .orThrow();

    assertThat(runsColumns()).isEqualTo("1");
    // The data is as it was before the migration: what the newer release wrote is gone with it.
    assertThat(site.get("/tasks/" + written).status()).isEqualTo(404);
    String id = taskId(site.get("/enqueue?message=after-the-restore").body());
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> site.get("/tasks/" + id).body().contains("\"runs\": 1"));
  }

  @Test
  @Order(17)
  void celeryWorkerHungUnderItsActiveUnit_isFoundByItsPing_restarted_andRunsTasksAgain()
      throws Exception {
    String worker = sample.runningUnits(NAME + "-celery-worker@*").get(0);
    String hung = sample.mainPids(List.of(worker)).get(worker);
    // Stopped, not killed: systemd still sees the unit active, as with a worker stuck on a lock.
    sample.server().execOrThrow("kill", "-STOP", hung);

    // The agent re-applies its plan by itself (reconverge_interval in its configuration).
    StatusReport found =
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(2))
            .until(sample::status, report -> report.text().contains("did not answer a ping"));
    assertThat(found.outcomeOf(APP_ENV, "handover")).as(found.text()).isEqualTo("changed");
    assertProductionConverged(found);
    assertThat(sample.runningUnits(NAME + "-celery-worker@*")).containsExactly(worker);
    assertThat(sample.mainPids(List.of(worker)).get(worker)).isNotEqualTo(hung);
    String id = taskId(site.get("/enqueue?message=after-the-hang").body());
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> site.get("/tasks/" + id).body().contains("\"status\": \"done\""));
  }

  /**
   * Production's rows have no failed or skipped resource. From step 12 on, staging's plan still
   * names the certificate that step left missing, so the apply as a whole fails.
   */
  private static void assertProductionConverged(StatusReport report) {
    assertThat(report.text().lines().filter(line -> line.startsWith(APP_ENV + " ")))
        .as(report.text())
        .isNotEmpty()
        .noneMatch(line -> line.contains(" failed ") || line.contains(" skipped "));
  }

  /** Where the agent's log is now, for {@link #outcomesLoggedSince}. */
  private static String agentLogMark() {
    return sample.server().journalCursor("pulley-agent");
  }

  /**
   * The outcomes production's {@code resource} had in each apply the agent logged after {@code
   * mark}, oldest first. What a deploy's own apply did is read here, not from `pulley status`: the
   * report it shows may already be a reconvergence of the same revision (the agent's
   * reconverge_interval is 20 s), in which a dump, a drift or a handover is done and unchanged.
   */
  private static List<String> outcomesLoggedSince(String mark, String resource) {
    String prefix = APP_ENV + " " + resource + ": ";
    return sample
        .server()
        .journalAfter("pulley-agent", mark)
        .lines()
        .map(line -> line.substring(Math.max(0, line.indexOf(prefix))))
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()).split(" ", 2)[0])
        .map(outcome -> outcome.replace("RESOURCE_OUTCOME_", "").toLowerCase(Locale.ROOT))
        .toList();
  }

  /** How many {@code runs} columns the task table has: 1 with the sample's schema, 0 without. */
  private static String runsColumns() {
    return sample
        .psql(
            "shop_production",
            "select count(*) from information_schema.columns"
                + " where table_name = 'task' and column_name = 'runs'")
        .strip();
  }

  /** The dump made before the migrations of {@code commit}'s release. */
  private static String dumpOf(String commit) {
    String dump =
        sample
            .server()
            .execOrThrow(
                "find",
                "/srv/" + NAME + "/dumps",
                "-name",
                "*-" + commit.substring(0, 12) + ".pgdump")
            .stdout()
            .strip();
    assertThat(dump).as("the dump of " + commit).isNotEmpty();
    return dump;
  }

  /** The status code of staging's home page requested from {@code from} with {@code user}. */
  private static String stagingStatus(PristineServer from, String address, String user) {
    return from.exec(
            Duration.ofSeconds(30),
            "curl",
            "--silent",
            "--insecure",
            "--output",
            "/dev/null",
            "--write-out",
            "%{http_code}",
            "--user",
            user,
            "--resolve",
            "staging.shop.example.test:443:" + address,
            "https://staging.shop.example.test/")
        .stdout()
        .strip();
  }

  /** A second server on the test network, booted on first use: the outside world. */
  private static synchronized PristineServer outsider() {
    if (outsider == null) {
      outsider =
          PristineServer.boot(DebianImage.trixie(), ProcessHandle.current().pid() + "-outside");
    }
    return outsider;
  }

  /** Whether a TCP connection from {@code from} to {@code address}:{@code port} completes. */
  private static boolean connects(PristineServer from, String address, int port) {
    return from.exec(
            Duration.ofSeconds(20),
            "timeout",
            "5",
            "bash",
            "-c",
            "exec 3<>/dev/tcp/" + address + "/" + port)
        .ok();
  }

  private static String table(PristineServer server) {
    return server.execOrThrow("nft", "--stateless", "list", "table", "inet", "pulley").stdout();
  }

  /** The production site behind the host's firewall, as every step applies it. */
  private static Path production() throws Exception {
    return SampleStackManifest.firewalled(work, repository.url(), "main", FIREWALL, mail);
  }

  private static String nginxWorkers(String master) {
    return sample
        .server()
        .execOrThrow("cat", "/proc/" + master + "/task/" + master + "/children")
        .stdout()
        .strip();
  }

  private static String lastAccessLogLine() {
    String log =
        sample.server().execOrThrow("cat", "/var/log/nginx/" + NAME + ".access.log").stdout();
    return log.lines().reduce((a, b) -> b).orElse("");
  }

  private static String taskId(String body) {
    assertThat(body.strip()).as(body).matches("\\d+");
    return body.strip();
  }

  private static String version() throws Exception {
    return repository.read("pulley_sample/VERSION").strip();
  }

  /** An htpasswd hash nginx accepts ({SHA}: base64 of the SHA-1 of the password). */
  private static String sha1Hash(String password) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
    return "{SHA}" + Base64.getEncoder().encodeToString(digest);
  }
}
