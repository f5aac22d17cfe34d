package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianRelease;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Flask and Django samples (samples/flask-notes, samples/django-polls) on one pristine Debian
 * 13 server, each with its database, Celery worker and static files, from manifests that use only
 * what docs/stack.md describes: settings as environment variables, a secret with characters systemd
 * and shells treat specially, two applications' tasks each reaching its own worker, ten releases
 * that keep the data a guarded init command made, and a rollback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrameworksIT {
  private static final Duration COLD = Duration.ofMinutes(15);
  private static final Duration WARM = Duration.ofMinutes(3);
  private static final Duration TASK = Duration.ofMinutes(2);
  private static final Pattern ID = Pattern.compile("\"id\":\\s*(\\d+)");
  private static final String CACHE = "/srv/notes/nginx-cache";

  /** Quotes, a backslash, dollars, a hash and blanks: what an environment file could misread. */
  private static final String HOSTILE_SECRET = "k\"e\\y $HOME ${PATH} 'q' #not-a-comment ;x ";

  private static Path work;
  private static SampleSite sample;
  private static SampleRepository polls;
  private static SiteClient notesSite;
  private static SiteClient pollsSite;
  private static int pollsFirstRevision;

  @BeforeAll
  static void boot() throws Exception {
    work = Files.createTempDirectory("pulley-frameworks-it");
    sample =
        SampleSite.start(
            work,
            ProcessHandle.current().pid() + "-frameworks",
            DebianRelease.TRIXIE,
            Artifacts.sample("flask-notes"));
    polls =
        SampleRepository.seededFrom(
            Artifacts.sample("django-polls"), work.resolve("git-polls"), TestNetwork.HOST_ADDRESS);
    notesSite = sample.site(FrameworkManifests.NOTES_DOMAIN);
    pollsSite = sample.site(FrameworkManifests.POLLS_DOMAIN);
  }

  @AfterAll
  static void shutDown() {
    SampleSite.closeAll(polls, sample);
  }

  @Test
  @Order(1)
  void flaskAndDjango_serveOnOneHost_eachTaskReachesItsOwnWorker() throws Exception {
    HostController.Cli secret =
        sample
            .controller()
            .pulleyWithInput(
                HOSTILE_SECRET,
                "secret",
                "set",
                "polls",
                "production",
                FrameworkManifests.POLLS_SECRET);
    assertThat(secret.exitCode()).as(secret.toString()).isZero();
    int notesRevision = sample.apply(FrameworkManifests.notes(work, sample.repository().url()));
    pollsFirstRevision = sample.apply(FrameworkManifests.polls(work, polls.url()));

    StatusReport report = sample.awaitApplyOf("polls/production", pollsFirstRevision, "", COLD);
    report = sample.awaitApplyOf("notes/production", notesRevision, "", COLD);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    assertThat(report.resourcesWith("failed", "skipped")).as(report.text()).isEmpty();

    // Flask: the factory serves, the instance folder is writable, a task round trip, static files.
    assertThat(notesSite.get("/health").body()).isEqualTo("ok");
    assertThat(Integer.parseInt(notesSite.get("/starts").body().strip())).isPositive();
    String note = id(notesSite.post("/notes", Map.of("body", "hello")));
    await()
        .atMost(TASK)
        .until(() -> notesSite.get("/notes/" + note).body().contains("\"seen\":true"));
    SiteClient.Response css = notesSite.get("/static/notes.css");
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.header("X-Version")).as("served by nginx, not the app").isNullOrEmpty();

    // Django: migrate ran, a task round trip, collected (hashed) files and the admin's jQuery.
    assertThat(pollsSite.get("/health").body()).isEqualTo("ok");
    String vote = id(pollsSite.post("/votes", Map.of("choice", "blue")));
    await()
        .atMost(TASK)
        .until(() -> pollsSite.get("/votes/" + vote).body().contains("\"counted\": true"));
    String hashed = pollsSite.get("/style").body().strip();
    assertThat(hashed).matches("/static/polls/style\\.[0-9a-f]{12}\\.css");
    SiteClient.Response collected = pollsSite.get(hashed);
    assertThat(collected.status()).isEqualTo(200);
    assertThat(collected.header("X-Version")).isNullOrEmpty();
    assertThat(pollsSite.get("/static/admin/js/vendor/jquery/jquery.js").status()).isEqualTo(200);

    // Each worker ran its own application's task only.
    String notesWorker = sample.server().journal("notes-celery-worker@*");
    String pollsWorker = sample.server().journal("polls-celery-worker@*");
    assertThat(notesWorker).contains("notes.tasks.mark_seen").doesNotContain("count_vote");
    assertThat(pollsWorker).contains("polls.tasks.count_vote").doesNotContain("mark_seen");
    assertThat(notesWorker + pollsWorker).doesNotContainIgnoringCase("unregistered task");
  }

  @Test
  @Order(2)
  void theSecret_reachesUwsgiAndCeleryExactly_andNoUnitFileOrCommandLine() {
    String uwsgi = mainPid("polls-uwsgi@*");
    String worker = mainPid("polls-celery-worker@*");
    for (String pid : new String[] {uwsgi, worker}) {
      String environ = sample.server().execOrThrow("cat", "/proc/" + pid + "/environ").stdout();
      assertThat(environ.split("\0")).contains("DJANGO_SECRET_KEY=" + HOSTILE_SECRET);
    }
    String needle = "#not-a-comment";
    for (String place : new String[] {"/etc/systemd/system", "/etc/nginx", "/srv/polls/releases"}) {
      assertThat(sample.server().exec("grep", "-rlF", needle, place).stdout())
          .as("the secret in " + place)
          .isEmpty();
    }
    assertThat(sample.server().execOrThrow("ps", "-eo", "args").stdout()).doesNotContain(needle);
  }

  @Test
  @Order(3)
  void aWebSocket_isServedThroughNginx_andAfterARelease_aNewConnectionReachesTheNewRelease()
      throws Exception {
    String address = sample.server().address();
    try (EchoSocket socket =
        EchoSocket.open(address, FrameworkManifests.NOTES_DOMAIN, "/ws/echo")) {
      assertThat(socket.ask("hello")).isEqualTo("1.0 hello");
      assertThat(socket.ask("again")).isEqualTo("1.0 again");

      // Left open across the release: the old instance ends it after the drain and a short
      // graceful stop, and the deploy goes on.
      String cursor = sample.server().journalCursor("pulley-agent");
      releaseNotes("2.0");
      Optional<String> end = socket.awaitEnd(Duration.ofMinutes(2));
      assertThat(end).as(() -> whyStillOpen(socket, cursor)).isPresent();
      System.out.println("the release 1.0 WebSocket ended: " + end.get());
      // Ended by the agent after its short grace, not by uWSGI's own reload mercy (60 s).
      assertThat(sample.server().journal("notes-uwsgi@*")).doesNotContain("NO MERCY");
    }

    try (EchoSocket socket =
        EchoSocket.open(address, FrameworkManifests.NOTES_DOMAIN, "/ws/echo")) {
      assertThat(socket.ask("hello")).isEqualTo("2.0 hello");
    }
  }

  @Test
  @Order(4)
  void aCachedPage_isNginxs_butNotForALoggedInUser_andTheNextReleaseEmptiesTheCache()
      throws Exception {
    SiteClient.Response first = notesSite.get("/pages/about");
    SiteClient.Response cached = notesSite.get("/pages/about");
    assertThat(cached.header("X-Cache-Status")).isEqualTo("HIT");
    assertThat(cached.body()).isEqualTo(first.body()).startsWith("2.0 rendered ");
    SiteClient.Response loggedIn = notesSite.getWithCookie("/pages/about", "session=someone");
    assertThat(loggedIn.header("X-Cache-Status")).isEqualTo("BYPASS");
    assertThat(loggedIn.body()).isNotEqualTo(cached.body());
    assertThat(notesSite.get("/pages/about", "someone", "secret").header("X-Cache-Status"))
        .isEqualTo("BYPASS");
    assertThat(notesSite.get("/health").header("X-Cache-Status")).as("never cached").isEmpty();

    // Valid for ten minutes, yet the next release's page is served once it is live.
    int revision = releaseNotes("3.0");
    assertThat(sample.server().execOrThrow("find", CACHE, "-type", "f").stdout()).isEmpty();
    SiteClient.Response after = notesSite.get("/pages/about");
    assertThat(after.header("X-Cache-Status")).isEqualTo("MISS");
    assertThat(after.body()).startsWith("3.0 rendered ");
    assertThat(sample.server().journal("pulley-agent"))
        .contains("emptied the cache " + CACHE + " (");

    // The agent's next apply of the same revision empties nothing.
    SiteClient.Response cachedAgain = notesSite.get("/pages/about");
    assertThat(cachedAgain.header("X-Cache-Status")).isEqualTo("HIT");
    String before = sample.status().lastApply();
    StatusReport again = sample.awaitApplyOf("notes/production", revision, before, WARM);
    assertThat(again.outcomeOf("notes/production", "handover")).isEqualTo("unchanged");
    assertThat(notesSite.get("/pages/about").body()).isEqualTo(cachedAgain.body());
  }

  @Test
  @Order(5)
  void flaskReleases_keepTheDataTheGuardedInitCommandMadeOnce() throws Exception {
    String notes = notesSite.get("/notes").body().strip();
    assertThat(Integer.parseInt(notes)).isPositive();
    // Two more in CI (3.0 was the cache's), each a whole deploy; -Dpulley.frameworks.releases=9
    // for the longer proof.
    int releases = Integer.getInteger("pulley.frameworks.releases", 2);
    for (int release = 4; release < 4 + releases; release++) {
      String version = release + ".0";
      releaseNotes(version);
      assertThat(notesSite.get("/notes").body().strip()).as("after " + version).isEqualTo(notes);
    }
    assertThat(
            sample
                .server()
                .exec("test", "-e", "/srv/notes/shared/.pulley-done/command-init-db")
                .ok())
        .isTrue();
  }

  @Test
  @Order(6)
  void aDjangoRelease_keepsTheVotes_andRollbackServesTheOldOnesStaticFiles() throws Exception {
    String oldStyle = pollsSite.get("/style").body().strip();
    String votes = pollsSite.get("/votes").body().strip();
    polls.commit(
        Map.of("VERSION", "2.0\n", "polls/static/polls/style.css", "body { color: teal; }\n"),
        "version 2.0");
    String before = sample.status().lastApply();
    int revision = sample.apply(FrameworkManifests.polls(work, polls.url()));

    StatusReport deployed = sample.awaitApplyOf("polls/production", revision, before, WARM);
    assertThat(deployed.succeeded()).as(deployed.text()).isTrue();
    assertThat(pollsSite.get("/version").body()).isEqualTo("2.0");
    String newStyle = pollsSite.get("/style").body().strip();
    assertThat(newStyle).isNotEqualTo(oldStyle);
    assertThat(pollsSite.get(newStyle).body()).contains("teal");
    assertThat(pollsSite.get("/votes").body().strip()).isEqualTo(votes);

    String beforeRollback = sample.status().lastApply();
    int back = sample.rollback("polls", "production", pollsFirstRevision);
    StatusReport rolledBack = sample.awaitApplyOf("polls/production", back, beforeRollback, WARM);
    assertThat(rolledBack.succeeded()).as(rolledBack.text()).isTrue();
    assertThat(pollsSite.get("/version").body()).isEqualTo("1.0");
    assertThat(pollsSite.get(oldStyle).status()).isEqualTo(200);
    assertThat(pollsSite.get("/votes").body().strip()).isEqualTo(votes);
  }

  /**
   * Commits {@code version} of the Flask sample, applies it and waits until it serves; its
   * revision.
   */
  private static int releaseNotes(String version) throws Exception {
    sample.repository().commit(Map.of("notes/VERSION", version + "\n"), "version " + version);
    String before = sample.status().lastApply();
    int revision = sample.apply(FrameworkManifests.notes(work, sample.repository().url()));
    StatusReport report = sample.awaitApplyOf("notes/production", revision, before, WARM);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    assertThat(notesSite.get("/version").body()).isEqualTo(version);
    return revision;
  }

  /**
   * What a WebSocket left open after its release was replaced meets: whether it still answers (and
   * as which release), the site's units, who holds its sockets, and what the agent did.
   */
  private static String whyStillOpen(EchoSocket socket, String agentCursor) {
    return "the release 1.0 WebSocket is still open 2 minutes after the release of 2.0"
        + "\nit answers: "
        + socket.answerOrWhyNot("still there?")
        + "\nunits:\n"
        + sample.server().exec("systemctl", "list-units", "--all", "--no-pager", "notes-*").stdout()
        + "\nsockets:\n"
        + sample.server().exec("ss", "-Htanp", "state", "established").stdout()
        + sample
            .server()
            .exec("ss", "-Hxp")
            .stdout()
            .lines()
            .filter(line -> line.contains("/run/notes-production/"))
            .collect(Collectors.joining("\n"))
        + "\nthe agent since the release:\n"
        + sample.server().journalAfter("pulley-agent", agentCursor);
  }

  private static String mainPid(String pattern) {
    String unit = sample.runningUnits(pattern).get(0);
    return sample.mainPids(java.util.List.of(unit)).get(unit);
  }

  private static String id(SiteClient.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    Matcher matcher = ID.matcher(response.body());
    assertThat(matcher.find()).as(response.body()).isTrue();
    return matcher.group(1);
  }
}
