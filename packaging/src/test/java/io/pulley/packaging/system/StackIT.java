package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sample Pyramid application deployed by its stack manifest onto one pristine Debian 12 server:
 * nginx, uWSGI, Celery, PostgreSQL and Redis installed and configured by the agent. The steps build
 * on each other (one server, as an admin would live through them), so they run in order and share
 * the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackIT {
  private static final Duration COLD = Duration.ofMinutes(15);
  private static final Duration WARM = Duration.ofMinutes(3);
  private static final String HOST = "web-1";
  private static final String NAME = "shop-production";
  private static final String DOMAIN = "shop.example.test";

  private static Path work;
  private static PristineServer server;
  private static HostController controller;
  private static SampleRepository repository;
  private static SiteClient site;
  private static String firstCommit;

  @BeforeAll
  static void boot() throws Exception {
    work = Files.createTempDirectory("pulley-stack-it");
    server = PristineServer.boot(DebianImage.bookworm());
    controller = HostController.start(TestNetwork.HOST_ADDRESS, work);
    repository =
        SampleRepository.seededFrom(
            Artifacts.sampleApplication(), work.resolve("git"), TestNetwork.HOST_ADDRESS);
    ExecResult install = AgentOnServer.install(server, Artifacts.agentDeb());
    assertThat(install.ok()).as(install.describe()).isTrue();
    AgentOnServer.enrollForStacks(server, controller.address(), HOST, "web");
    site = new SiteClient(server.address(), 80, DOMAIN);
  }

  @AfterAll
  static void shutDown() {
    if (repository != null) {
      repository.close();
    }
    if (controller != null) {
      controller.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void pristineServer_servesTheSite_withItsDatabaseQueueAndStaticFiles() throws Exception {
    firstCommit = repository.head();
    int revision = apply(SampleStackManifest.production(work, repository.url(), "main"));

    StatusReport report = awaitApplyOf(revision, "", COLD);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    assertThat(report.resourcesWith("failed", "skipped")).as(report.text()).isEmpty();

    SiteClient.Response home = site.get("/");
    assertThat(home.status()).isEqualTo(200);
    assertThat(home.header("X-Version")).isEqualTo(version());
    assertThat(site.get("/health").body()).contains("ok");

    String tables = psql("shop_production", "select count(*) from tasks");
    assertThat(tables.strip()).isEqualTo("0");

    SiteClient.Response enqueued = site.get("/enqueue?message=hello");
    assertThat(enqueued.status()).as(enqueued.body()).isEqualTo(200);
    String id = taskId(enqueued.body());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> site.get("/tasks/" + id).body().contains("\"done\": true"));
    assertThat(psql("shop_production", "select count(*) from tasks where done_at is not null"))
        .contains("1");

    SiteClient.Response css = site.get("/static/style.css");
    assertThat(css.status()).isEqualTo(200);
    // nginx served it itself: no upstream took part in that request.
    assertThat(lastAccessLogLine()).contains("/static/style.css").contains("upstream=-");
  }

  @Test
  @Order(2)
  void applyAgain_changesNothing_andRestartsNothing() throws Exception {
    Map<String, String> pids = mainPids();
    String before = status().lastApply();

    // The agent re-applies its plan on its own (reconverge_interval in its configuration).
    StatusReport again = awaitApplyOf(1, before, WARM);

    assertThat(again.succeeded()).as(again.text()).isTrue();
    assertThat(again.resourcesWith("changed", "failed", "skipped")).as(again.text()).isEmpty();
    assertThat(mainPids()).isEqualTo(pids);
  }

  @Test
  @Order(3)
  void newCommit_goesLive_keepsTheOldRelease_andRollbackReturnsWithoutRebuilding()
      throws Exception {
    String second = repository.commit(Map.of("pulley_sample/VERSION", "2\n"), "version 2");
    String before = status().lastApply();
    int revision = apply(SampleStackManifest.production(work, repository.url(), "main"));

    StatusReport deployed = awaitApplyOf(revision, before, WARM);
    assertThat(deployed.succeeded()).as(deployed.text()).isTrue();
    assertThat(site.get("/").header("X-Version")).isEqualTo("2");
    assertThat(server.execOrThrow("readlink", "/srv/" + NAME + "/current").stdout().strip())
        .isEqualTo("releases/" + second);
    assertThat(server.exec("test", "-d", "/srv/" + NAME + "/releases/" + firstCommit).ok())
        .isTrue();

    String beforeRollback = status().lastApply();
    HostController.Cli rollback = controller.pulley("rollback", "shop", "production", "1");
    assertThat(rollback.exitCode()).as(rollback.toString()).isZero();

    StatusReport back = awaitApplyOf(revisionIn(rollback.out()), beforeRollback, WARM);
    assertThat(back.succeeded()).as(back.text()).isTrue();
    assertThat(site.get("/").header("X-Version")).isEqualTo("1");
    assertThat(back.outcomes())
        .containsEntry("release:checkout", "unchanged")
        .containsEntry("venv", "unchanged")
        .containsEntry("release:switch", "changed");
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
    String before = status().lastApply();
    int revision = apply(SampleStackManifest.production(work, repository.url(), "main"));

    StatusReport failed = awaitApplyOf(revision, before, WARM);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.outcomes()).containsEntry("check:import", "failed");
    assertThat(failed.resourcesWith("changed", "unchanged"))
        .doesNotContain("release:switch", "service:uwsgi");
    assertThat(failed.text()).contains("broken on purpose");
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
    String before = status().lastApply();
    int revision = apply(SampleStackManifest.production(work, repository.url(), "main"));

    StatusReport failed = awaitApplyOf(revision, before, WARM);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.outcomes())
        .containsEntry("check:import", "changed")
        .containsEntry("command:migrate", "failed");
    assertThat(failed.text()).contains("output of command:migrate");
    assertThat(site.get("/").header("X-Version")).isEqualTo(live);
  }

  @Test
  @Order(6)
  void handEditedConfiguration_isReportedAsDrift_andCorrected() throws Exception {
    repository.commit(
        Map.of("migrations/versions/9999_broken.py", SampleMigrations.harmlessAfter(repository)),
        "fix the migration");
    int revision = apply(SampleStackManifest.production(work, repository.url(), "main"));
    StatusReport fixed = awaitApplyOf(revision, status().lastApply(), WARM);
    assertThat(fixed.succeeded()).as(fixed.text()).isTrue();
    String siteFile = "/etc/nginx/sites-enabled/" + NAME + ".conf";
    String declared = server.execOrThrow("cat", siteFile).stdout();

    server.writeFile(siteFile, declared + "# edited by hand\n");

    StatusReport corrected = awaitApplyOf(revision, fixed.lastApply(), WARM);
    assertThat(corrected.outcomes()).containsEntry("file:nginx-site", "changed");
    assertThat(corrected.text()).contains("drift").contains("edited by hand");
    assertThat(server.execOrThrow("cat", siteFile).stdout()).isEqualTo(declared);
  }

  @Test
  @Order(7)
  void stagingBehindAPassword_refusesAnonymousRequests_andAdmitsTheRightPassword()
      throws Exception {
    String before = status().lastApply();
    int revision =
        apply(
            SampleStackManifest.staging(
                work, repository.url(), "main", "tester:" + sha1Hash("s3cret-pass")));
    StatusReport report = awaitApplyOf(revision, before, COLD);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    SiteClient staging = new SiteClient(server.address(), 80, "staging.shop.example.test");

    assertThat(staging.get("/").status()).isEqualTo(401);
    assertThat(staging.get("/", "tester", "wrong").status()).isEqualTo(401);
    assertThat(staging.get("/", "tester", "s3cret-pass").status()).isEqualTo(200);
  }

  /** Applies {@code manifest}; returns the revision it created. */
  private static int apply(Path manifest) throws Exception {
    HostController.Cli apply = controller.pulley("apply", "-f", manifest.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
    return revisionIn(apply.out());
  }

  private static int revisionIn(String cliOutput) {
    Matcher m = Pattern.compile("revision (\\d+)").matcher(cliOutput);
    assertThat(m.find()).as(cliOutput).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static StatusReport status() throws Exception {
    return StatusReport.parse(controller.pulley("status", HOST).out());
  }

  /**
   * Waits for a report of an apply of {@code revision} of shop/production newer than the one whose
   * "last apply" line was {@code before}.
   */
  private static StatusReport awaitApplyOf(int revision, String before, Duration atMost) {
    String label = "shop/production#" + revision;
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            StackIT::status, r -> !r.lastApply().equals(before) && r.lastApply().contains(label));
  }

  private static String psql(String database, String sql) {
    return server
        .execOrThrow("runuser", "-u", "postgres", "--", "psql", "-XAt", "-d", database, "-c", sql)
        .stdout();
  }

  /** Main PIDs of the site's services: a restart would change them. */
  private static Map<String, String> mainPids() {
    Map<String, String> pids = new java.util.TreeMap<>();
    for (String unit :
        new String[] {
          NAME + "-uwsgi",
          NAME + "-celery-worker",
          NAME + "-celery-beat",
          "nginx",
          "postgresql@15-main"
        }) {
      pids.put(
          unit,
          server
              .execOrThrow("systemctl", "show", "--property=MainPID", "--value", unit)
              .stdout()
              .strip());
    }
    return pids;
  }

  private static String lastAccessLogLine() {
    String log = server.execOrThrow("cat", "/var/log/nginx/" + NAME + ".access.log").stdout();
    return log.lines().reduce((a, b) -> b).orElse("");
  }

  private static String taskId(String body) {
    Matcher m = Pattern.compile("\"id\": (\\d+)").matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group(1);
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
