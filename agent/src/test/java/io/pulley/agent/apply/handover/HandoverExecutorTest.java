package io.pulley.agent.apply.handover;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.testing.ManualClock;
import io.pulley.v1.lite.Command;
import io.pulley.v1.lite.Handover;
import io.pulley.v1.lite.HandoverMode;
import io.pulley.v1.lite.HealthCheck;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandoverExecutorTest {
  static final String A = "a".repeat(40);
  static final String B = "b".repeat(40);

  @TempDir Path dir;
  private Path root;
  private Path runRoot;
  private Path runDir;
  private Path unitDir;
  private final Map<String, Integer> statusBySocket = new HashMap<>();
  private final List<Duration> pauses = new ArrayList<>();
  private Convergence siteAnswer = Convergence.unchanged("200 after 0.0 s");
  private Optional<UwsgiStats.Load> statsAnswer = Optional.of(new UwsgiStats.Load(0, 0));
  private int statsReads;

  @BeforeEach
  void layout() throws Exception {
    root = Files.createDirectories(dir.resolve("srv/app"));
    Files.createDirectories(root.resolve("releases/" + A));
    Files.createDirectories(root.resolve("releases/" + B));
    runRoot = Files.createDirectories(dir.resolve("run"));
    runDir = Files.createDirectories(runRoot.resolve("app"));
    unitDir = Files.createDirectories(dir.resolve("units"));
  }

  private Handover.Builder spec(String commit) {
    return Handover.newBuilder()
        .setRoot(root.toString())
        .setCommit(commit)
        .setWebUnit("app-uwsgi@.service")
        .setWebUnitContent("[Service]\nExecStart=/usr/bin/uwsgi --ini x\n")
        .setRunDir(runDir.toString())
        .setSocketLink(runDir.resolve("uwsgi.sock").toString())
        .setWebCheck(HealthCheck.newBuilder().setUrl("http://127.0.0.1/health").setHostHeader("a"))
        .setSiteCheck(HealthCheck.newBuilder().setUrl("http://127.0.0.1/health"))
        .setWorkerUnit("app-celery-worker@.service")
        .setWorkerUnitContent("[Service]\nExecStart=celery worker\n")
        .setWorkerNodePrefix("app-")
        .addWorkerQueues("celery")
        .setWorkerCelery(Command.newBuilder().addArgv("celery").setUser("app").setTimeoutSeconds(3))
        .addRetiredWebUnits("app-uwsgi.service")
        .addRetiredWorkerUnits("app-celery-worker.service")
        .addRestartOn("file:settings")
        // The controller always sets both (the stack's drain_seconds and uWSGI's harakiri).
        .setDrainSeconds(2)
        .setRequestTimeoutSeconds(300);
  }

  private Convergence converge(FakeHost host, Handover spec) throws Exception {
    return converge(host, spec, Contexts.plain(dir.resolve("state")));
  }

  private Convergence converge(FakeHost host, Handover spec, ApplyContext context)
      throws Exception {
    SocketProbe probe =
        (socket, h, path) -> {
          int status = statusBySocket.getOrDefault(socket.getFileName().toString(), 200);
          return new SocketProbe.Answer(status, status == 200 ? "ok" : "no", "");
        };
    // The test's clock moves with every pause, so deadlines pass without waiting.
    ManualClock clock = new ManualClock(java.time.Instant.parse("2026-12-02T00:00:00Z"));
    HandoverExecutor executor =
        new HandoverExecutor(
            new PathGuard(List.of(dir)),
            host,
            () -> "host",
            probe,
            stats -> {
              statsReads++;
              return statsAnswer;
            },
            (check, c) -> siteAnswer,
            d -> {
              pauses.add(d);
              clock.advance(d);
              Thread.sleep(1); // lets the fake master's thread keep up
            },
            clock,
            unitDir,
            runRoot);
    return executor.converge(spec, context);
  }

  /** A host serving release A in the reload mode: the one instance, A's worker, both links. */
  private FakeHost servingAInReloadMode() throws Exception {
    Files.createSymbolicLink(runDir.resolve("uwsgi.sock"), Path.of("live.sock"));
    Files.createSymbolicLink(root.resolve("current"), Path.of("releases", A));
    return new FakeHost(runDir)
        .running("app-uwsgi@live.service")
        .running("app-celery-worker@" + A + ".service");
  }

  /** A host serving release A: its instance, its worker, both links. */
  private FakeHost servingA() throws Exception {
    Files.createSymbolicLink(runDir.resolve("uwsgi.sock"), Path.of(A + ".sock"));
    Files.createSymbolicLink(root.resolve("current"), Path.of("releases", A));
    Files.writeString(runDir.resolve(A + ".ready"), "");
    Files.writeString(unitDir.resolve("app-uwsgi@.service"), spec(A).getWebUnitContent());
    Files.writeString(
        unitDir.resolve("app-celery-worker@.service"), spec(A).getWorkerUnitContent());
    return new FakeHost(runDir)
        .running("app-uwsgi@" + A + ".service")
        .running("app-celery-worker@" + A + ".service");
  }

  private String socketTarget() throws Exception {
    return Files.readSymbolicLink(runDir.resolve("uwsgi.sock")).toString();
  }

  private String currentTarget() throws Exception {
    return Files.readSymbolicLink(root.resolve("current")).toString();
  }

  @Test
  void firstHandover_startsWorkerThenWeb_linksSocketAndCurrent_andEnablesBoth() throws Exception {
    FakeHost host = new FakeHost(runDir);

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.changes())
        .containsExactly(
            "systemctl daemon-reload",
            "systemctl start app-celery-worker@" + A + ".service",
            "systemctl start app-uwsgi@" + A + ".service",
            "systemctl enable app-uwsgi@" + A + ".service",
            "systemctl enable app-celery-worker@" + A + ".service");
    assertThat(socketTarget()).isEqualTo(A + ".sock");
    assertThat(currentTarget()).isEqualTo("releases/" + A);
    assertThat(unitDir.resolve("app-uwsgi@.service")).hasContent(spec(A).getWebUnitContent());
    assertThat(pauses).as("nothing to drain").doesNotContain(Duration.ofSeconds(2));
  }

  @Test
  void convergedHandover_touchesNothing() throws Exception {
    FakeHost host = servingA();

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(host.changes()).isEmpty();
  }

  @Test
  void newRelease_startsBesideTheOld_switches_drains_thenStopsOldWebThenOldWorker()
      throws Exception {
    FakeHost host = servingA();

    Convergence c = converge(host, spec(B).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.changes())
        .containsExactly(
            "systemctl start app-celery-worker@" + B + ".service",
            "systemctl start app-uwsgi@" + B + ".service",
            "systemctl enable app-uwsgi@" + B + ".service",
            "systemctl stop --no-block app-uwsgi@" + A + ".service",
            "systemctl kill --kill-whom=all --signal=SIGINT app-uwsgi@" + A + ".service",
            "systemctl stop app-uwsgi@" + A + ".service",
            "systemctl disable app-uwsgi@" + A + ".service",
            "systemctl enable app-celery-worker@" + B + ".service",
            "systemctl stop app-celery-worker@" + A + ".service",
            "systemctl disable app-celery-worker@" + A + ".service");
    assertThat(pauses).contains(Duration.ofSeconds(2));
    assertThat(socketTarget()).isEqualTo(B + ".sock");
    assertThat(currentTarget()).isEqualTo("releases/" + B);
    assertThat(host.active())
        .containsExactlyInAnyOrder(
            "app-uwsgi@" + B + ".service", "app-celery-worker@" + B + ".service");
    assertThat(runDir.resolve(A + ".ready")).doesNotExist();
    assertThat(host.lines())
        .contains(
            "/usr/sbin/runuser -u app -- celery inspect ping --timeout 3 --destination app-"
                + B
                + "@host",
            "/usr/sbin/runuser -u app -- celery control cancel_consumer celery --timeout 3"
                + " --destination app-"
                + A
                + "@host");
    List<String> lines = host.lines();
    assertThat(lines.indexOf("systemctl stop app-celery-worker@" + A + ".service"))
        .as("the old worker stops consuming before its warm shutdown")
        .isGreaterThan(
            lines.indexOf(
                "/usr/sbin/runuser -u app -- celery control cancel_consumer celery --timeout 3"
                    + " --destination app-"
                    + A
                    + "@host"));
  }

  @Test
  void oldInstanceStillServing_isWaitedFor_thenStoppedGracefully() throws Exception {
    FakeHost host = servingA();
    statsAnswer = Optional.of(new UwsgiStats.Load(1, 0)); // a request that outlasts harakiri

    Convergence c = converge(host, spec(B).setRequestTimeoutSeconds(30).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.changes())
        .contains("systemctl stop app-uwsgi@" + A + ".service")
        .noneMatch(l -> l.contains("SIGINT"));
    Duration waited = pauses.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void oldInstanceHoldingWebSockets_getsAGracefulStopOfAFewSeconds_thenTheRestEnds()
      throws Exception {
    FakeHost host = servingA();

    Convergence c = handOverFromOneHoldingAWebSocket(host);

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    List<String> lines = host.changes();
    int stopNoBlock = lines.indexOf("systemctl stop --no-block app-uwsgi@" + A + ".service");
    int kill =
        lines.indexOf("systemctl kill --kill-whom=all --signal=SIGINT app-uwsgi@" + A + ".service");
    int stop = lines.indexOf("systemctl stop app-uwsgi@" + A + ".service");
    assertThat(stopNoBlock).isNotNegative().isLessThan(kill);
    assertThat(kill).isLessThan(stop);
    assertThat(pauses).contains(RetireWebInstances.WEBSOCKET_GRACE);
  }

  @Test
  void oldInstanceWhoseWebSocketsClosedDuringTheGrace_hasNothingToEnd_andStillStops()
      throws Exception {
    FakeHost host = servingA().stopsAtOnce("app-uwsgi@" + A + ".service");

    Convergence c = handOverFromOneHoldingAWebSocket(host);

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.changes())
        .contains(
            "systemctl kill --kill-whom=all --signal=SIGINT app-uwsgi@" + A + ".service",
            "systemctl stop app-uwsgi@" + A + ".service",
            "systemctl disable app-uwsgi@" + A + ".service");
    assertThat(host.active()).doesNotContain("app-uwsgi@" + A + ".service");
  }

  /** A handover to B on a site with WebSockets, while the old instance A stays busy. */
  private Convergence handOverFromOneHoldingAWebSocket(FakeHost host) throws Exception {
    statsAnswer = Optional.of(new UwsgiStats.Load(1, 0)); // an open WebSocket never ends
    return converge(
        host,
        spec(B)
            .setRequestTimeoutSeconds(10)
            .setHttpSocketLink(runDir.resolve("http.sock").toString())
            .build());
  }

  @Test
  void releaseThatNeverAnswersHealthy_getsNoTraffic_andWhatItStartedStops() throws Exception {
    FakeHost host = servingA();
    statusBySocket.put(B + ".sock", 503);

    Convergence c = converge(host, spec(B).build());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason())
        .contains("release bbbbbbbbbbbb got no traffic")
        .contains("status 503 (expected 200)");
    assertThat(c.outputTail()).contains("journal of app-uwsgi@" + B);
    assertThat(socketTarget()).isEqualTo(A + ".sock");
    assertThat(currentTarget()).isEqualTo("releases/" + A);
    assertThat(host.active())
        .containsExactlyInAnyOrder(
            "app-uwsgi@" + A + ".service", "app-celery-worker@" + A + ".service");
  }

  @Test
  void siteFailingAfterTheSwitch_isSwitchedBack_andTheReportSaysWhy() throws Exception {
    FakeHost host = servingA();
    siteAnswer = Convergence.failed("no healthy answer from http://127.0.0.1/health in 60.0 s");

    Convergence c = converge(host, spec(B).build());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason())
        .isEqualTo(
            "the site failed after the switch to bbbbbbbbbbbb, switched back to aaaaaaaaaaaa: no"
                + " healthy answer from http://127.0.0.1/health in 60.0 s");
    // Before B stops, the requests nginx sent it between the switch and the switch back finish:
    // the drain, then its stats until it is idle. Stopped at once, they would be reset (502).
    assertThat(pauses).contains(Duration.ofSeconds(2));
    assertThat(statsReads).isEqualTo(1);
    assertThat(host.changes())
        .last()
        .isEqualTo("systemctl stop app-celery-worker@" + B + ".service");
    assertThat(socketTarget()).isEqualTo(A + ".sock");
    assertThat(currentTarget()).isEqualTo("releases/" + A);
    assertThat(host.active())
        .containsExactlyInAnyOrder(
            "app-uwsgi@" + A + ".service", "app-celery-worker@" + A + ".service");
  }

  @Test
  void releaseWhoseSiteFailedWithTheTraffic_isNotSwitchedToAgainByTheSameRevision()
      throws Exception {
    FakeHost host = servingA();
    siteAnswer = Convergence.failed("status 500");
    Path state = dir.resolve("state");
    converge(host, spec(B).build(), Contexts.atRevision(state, 7));
    int before = host.changes().size();

    // A retry, a reconvergence, a restart of the agent: the same revision, and the site would
    // answer now. Users saw the failure once; they do not see the release again.
    siteAnswer = Convergence.unchanged("200 after 0.0 s");
    Convergence again = converge(host, spec(B).build(), Contexts.atRevision(state, 7));

    assertThat(again.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(again.reason())
        .isEqualTo(
            "bbbbbbbbbbbb held back since 2026-12-02 00:00:05Z until a new revision: the site"
                + " failed after the switch to bbbbbbbbbbbb, switched back to aaaaaaaaaaaa:"
                + " status 500");
    assertThat(changesAfter(host, before)).isEmpty();
    assertThat(socketTarget()).isEqualTo(A + ".sock");

    Convergence next = converge(host, spec(B).build(), Contexts.atRevision(state, 8));

    assertThat(next.outcome())
        .as(next.reason())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(socketTarget()).isEqualTo(B + ".sock");
    assertThat(state.resolve("site-failures/app-uwsgi@.service")).doesNotExist();
  }

  @Test
  void afterAHandoverThatSucceeds_theSameRevisionIsTriedAgain() throws Exception {
    // A rollout halts (the host gets its previous revision), then is resumed (the failed one).
    FakeHost host = servingA();
    siteAnswer = Convergence.failed("status 500");
    Path state = dir.resolve("state");
    converge(host, spec(B).build(), Contexts.atRevision(state, 7));
    siteAnswer = Convergence.unchanged("200 after 0.0 s");

    Convergence previous = converge(host, spec(A).build(), Contexts.atRevision(state, 6));
    Convergence resumed = converge(host, spec(B).build(), Contexts.atRevision(state, 7));

    assertThat(previous.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(resumed.outcome())
        .as(resumed.reason())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(socketTarget()).isEqualTo(B + ".sock");
  }

  @Test
  void releaseThatFailedBeforeItHadTraffic_isTriedAgainByTheSameRevision() throws Exception {
    // Nobody saw it: a failure on its own socket may pass (a database not up yet), so retry.
    FakeHost host = servingA();
    statusBySocket.put(B + ".sock", 503);
    Path state = dir.resolve("state");
    converge(host, spec(B).build(), Contexts.atRevision(state, 7));
    statusBySocket.clear();

    Convergence again = converge(host, spec(B).build(), Contexts.atRevision(state, 7));

    assertThat(again.outcome())
        .as(again.reason())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(socketTarget()).isEqualTo(B + ".sock");
  }

  @Test
  void reloadMode_releaseWhoseSiteFailedAfterTheReload_isHeldBackToo() throws Exception {
    FakeHost host = servingAInReloadMode();
    siteAnswer = Convergence.failed("status 500");
    Path state = dir.resolve("state");
    Handover reload = spec(B).setMode(HandoverMode.HANDOVER_MODE_RELOAD).build();
    try (FakeMaster master = FakeMaster.start(runDir, "live")) {
      converge(host, reload, Contexts.atRevision(state, 3));
      siteAnswer = Convergence.unchanged("200 after 0.0 s");

      Convergence again = converge(host, reload, Contexts.atRevision(state, 3));

      assertThat(again.reason())
          .startsWith("bbbbbbbbbbbb held back since ")
          .endsWith("graceful reload onto bbbbbbbbbbbb failed, reloaded back: status 500");
      assertThat(master.commands(2)).as("only the reload and the reload back").isEqualTo("rr");
    }
    assertThat(currentTarget()).isEqualTo("releases/" + A);
  }

  @Test
  void workerThatNeverAnswers_stopsTheHandoverBeforeTheWebTier() throws Exception {
    FakeHost host = servingA().workersSilent();

    Convergence c = converge(host, spec(B).build());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("worker app-celery-worker@" + B + ".service did not answer");
    assertThat(host.changes()).noneMatch(l -> l.contains("app-uwsgi@" + B));
    assertThat(host.active()).doesNotContain("app-celery-worker@" + B + ".service");
    assertThat(socketTarget()).isEqualTo(A + ".sock");
  }

  @Test
  void liveWorkerThatAnswersNoPing_isRestarted_andTheSameReleaseKeepsServing() throws Exception {
    FakeHost host = servingA().hung("app-celery-worker@" + A + ".service");

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).contains("worker restarted: it did not answer a ping");
    assertThat(host.changes())
        .containsExactly("systemctl restart app-celery-worker@" + A + ".service");
    assertThat(socketTarget()).isEqualTo(A + ".sock");
  }

  @Test
  void liveWorkerThatAnswers_isLeftAlone() throws Exception {
    FakeHost host = servingA();

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(host.changes()).isEmpty();
    assertThat(host.lines())
        .contains(
            "/usr/sbin/runuser -u app -- celery inspect ping --timeout 3 --destination app-"
                + A
                + "@host");
  }

  @Test
  void liveWorkerSilentEvenAfterItsRestart_failsTheHandover() throws Exception {
    FakeHost host = servingA().workersSilent();

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("worker app-celery-worker@" + A + ".service did not answer");
    assertThat(socketTarget()).isEqualTo(A + ".sock");
  }

  @Test
  void instanceThatFailsToStart_isReportedWithItsJournal_andTheOldKeepsServing() throws Exception {
    FakeHost host = servingA().failsToStart("app-uwsgi@" + B + ".service");

    Convergence c = converge(host, spec(B).build());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("systemctl start app-uwsgi@" + B + ".service");
    assertThat(c.outputTail()).contains("journal of app-uwsgi@" + B);
    assertThat(socketTarget()).isEqualTo(A + ".sock");
    assertThat(host.active())
        .containsExactlyInAnyOrder(
            "app-uwsgi@" + A + ".service", "app-celery-worker@" + A + ".service");
  }

  @Test
  void crashAfterTheSwitch_resumes_byStoppingWhatTheOldReleaseStillRuns() throws Exception {
    FakeHost host = servingA().running("app-uwsgi@" + B + ".service");
    host.running("app-celery-worker@" + B + ".service");
    Files.delete(runDir.resolve("uwsgi.sock"));
    Files.createSymbolicLink(runDir.resolve("uwsgi.sock"), Path.of(B + ".sock"));

    Convergence c = converge(host, spec(B).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.changes()).noneMatch(l -> l.startsWith("systemctl start"));
    assertThat(currentTarget()).isEqualTo("releases/" + B);
    assertThat(host.active())
        .containsExactlyInAnyOrder(
            "app-uwsgi@" + B + ".service", "app-celery-worker@" + B + ".service");
  }

  @Test
  void unitsOfTheOlderLayout_areRetiredAfterTheSwitch() throws Exception {
    FakeHost host =
        new FakeHost(runDir).running("app-uwsgi.service").running("app-celery-worker.service");

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.active())
        .containsExactlyInAnyOrder(
            "app-uwsgi@" + A + ".service", "app-celery-worker@" + A + ".service");
    assertThat(host.enabled()).doesNotContain("app-uwsgi.service", "app-celery-worker.service");
    List<String> changes = host.changes();
    assertThat(changes.indexOf("systemctl stop app-uwsgi.service"))
        .isGreaterThan(changes.indexOf("systemctl start app-uwsgi@" + A + ".service"));
  }

  @Test
  void reloadMode_movesCurrent_thenReloadsTheOneInstanceThroughItsFifo() throws Exception {
    FakeHost host = servingAInReloadMode();
    try (FakeMaster master = FakeMaster.start(runDir, "live")) {
      Convergence c = converge(host, spec(B).setMode(HandoverMode.HANDOVER_MODE_RELOAD).build());

      assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
      assertThat(c.reason()).contains("reloaded app-uwsgi@live.service gracefully");
      assertThat(master.commands()).isEqualTo("r");
    }
    assertThat(currentTarget()).isEqualTo("releases/" + B);
    assertThat(socketTarget()).isEqualTo("live.sock");
    assertThat(host.active())
        .containsExactlyInAnyOrder("app-uwsgi@live.service", "app-celery-worker@" + B + ".service");
  }

  @Test
  void changedSettings_reloadTheLiveInstance_andRestartTheWorker() throws Exception {
    FakeHost host = servingA();
    try (FakeMaster master = FakeMaster.start(runDir, A)) {
      Convergence c =
          converge(
              host, spec(A).build(), Contexts.afterChanges(dir.resolve("state"), "file:settings"));

      assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
      assertThat(master.commands()).isEqualTo("r");
    }
    assertThat(host.changes()).contains("systemctl restart app-celery-worker@" + A + ".service");
  }

  @Test
  void changedEnvironmentFile_restartsTheLiveInstanceAndTheWorker_withoutAGracefulReload()
      throws Exception {
    FakeHost host = servingA();
    Files.delete(runDir.resolve(A + ".ready"));
    try (FakeMaster master = FakeMaster.start(runDir, A)) {
      Convergence c =
          converge(
              host,
              spec(A).addFreshStartOn("file:environment").build(),
              Contexts.afterChanges(dir.resolve("state"), "file:environment"));

      assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
      assertThat(c.reason())
          .contains("restarted app-uwsgi@" + A + ".service (its environment file changed)");
      assertThat(master.commands()).as("a graceful reload keeps the old environment").isEmpty();
    }
    assertThat(host.changes())
        .containsExactly(
            "systemctl restart app-celery-worker@" + A + ".service",
            "systemctl restart app-uwsgi@" + A + ".service");
    assertThat(Files.exists(runDir.resolve(A + ".ready"))).isTrue();
    assertThat(socketTarget()).isEqualTo(A + ".sock");
  }

  @Test
  void reloadMode_newReleaseAndEnvironmentFile_restartsTheOneInstanceOntoIt() throws Exception {
    FakeHost host = servingAInReloadMode();
    try (FakeMaster master = FakeMaster.start(runDir, "live")) {
      Convergence c =
          converge(
              host,
              spec(B)
                  .setMode(HandoverMode.HANDOVER_MODE_RELOAD)
                  .addFreshStartOn("file:environment")
                  .build(),
              Contexts.afterChanges(dir.resolve("state"), "file:environment"));

      assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
      assertThat(c.reason()).contains("restarted app-uwsgi@live.service");
      assertThat(master.commands()).isEmpty();
    }
    assertThat(currentTarget()).isEqualTo("releases/" + B);
    assertThat(host.changes()).contains("systemctl restart app-uwsgi@live.service");
  }

  @Test
  void environmentFileUnchanged_freshStartOnAlone_restartsNothing() throws Exception {
    FakeHost host = servingA();

    Convergence c = converge(host, spec(A).addFreshStartOn("file:environment").build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(host.changes()).isEmpty();
  }

  @Test
  void failedDaemonReload_startsNothing_andIsRetriedByTheNextApply() throws Exception {
    FakeHost host = servingA().failsDaemonReloads(1);
    Handover spec =
        spec(B).setWebUnitContent("[Service]\nExecStart=/usr/bin/uwsgi --ini y\n").build();

    Convergence failed = converge(host, spec);
    List<String> afterFailure = host.changes();
    Convergence retried = converge(host, spec);

    assertThat(failed.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(failed.reason()).isEqualTo("systemctl daemon-reload: exit status 1");
    assertThat(afterFailure).containsExactly("systemctl daemon-reload");
    assertThat(unitDir.resolve("app-uwsgi@.service")).hasContent(spec.getWebUnitContent());
    assertThat(retried.outcome())
        .as(retried.reason())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.changes().subList(1, host.changes().size()))
        .startsWith(
            "systemctl daemon-reload",
            "systemctl start app-celery-worker@" + B + ".service",
            "systemctl start app-uwsgi@" + B + ".service");
    assertThat(converge(host, spec).outcome())
        .as("paid once, owed no more")
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void drainOfZero_stopsTheOldInstanceWithoutAPause() throws Exception {
    FakeHost host = servingA();

    Convergence c = converge(host, spec(B).setDrainSeconds(0).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.changes()).contains("systemctl stop app-uwsgi@" + A + ".service");
    assertThat(pauses).containsExactly(WorkerShutdown.CONSUMER_SETTLE);
  }

  @Test
  void requestTimeoutOfZero_stopsTheOldInstanceGracefullyAtOnce() throws Exception {
    FakeHost host = servingA();
    statsAnswer = Optional.of(new UwsgiStats.Load(1, 0));

    Convergence c = converge(host, spec(B).setRequestTimeoutSeconds(0).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(host.changes())
        .contains("systemctl stop app-uwsgi@" + A + ".service")
        .noneMatch(l -> l.contains("SIGINT"));
    assertThat(statsReads).as("nobody waits for the old instance to be idle").isZero();
    assertThat(pauses).containsExactly(Duration.ofSeconds(2), WorkerShutdown.CONSUMER_SETTLE);
  }

  @Test
  void instanceAnEarlierApplyStarted_thatFailsTheSite_stopsWithTheSwitchBack() throws Exception {
    FakeHost host = servingA().running("app-uwsgi@" + B + ".service");
    siteAnswer = Convergence.failed("status 500");

    Convergence c = converge(host, spec(B).build());

    assertThat(c.reason())
        .isEqualTo(
            "the site failed after the switch to bbbbbbbbbbbb, switched back to aaaaaaaaaaaa:"
                + " status 500");
    assertThat(host.changes())
        .containsExactly(
            "systemctl start app-celery-worker@" + B + ".service",
            "systemctl stop app-uwsgi@" + B + ".service",
            "systemctl stop app-celery-worker@" + B + ".service");
    assertThat(socketTarget()).isEqualTo(A + ".sock");
    assertThat(currentTarget()).isEqualTo("releases/" + A);
  }

  @Test
  void reloadMode_releaseThatFailsAfterTheReload_isReloadedBack() throws Exception {
    FakeHost host = servingAInReloadMode();
    siteAnswer = Convergence.failed("status 500");
    try (FakeMaster master = FakeMaster.start(runDir, "live")) {
      Convergence c = converge(host, spec(B).setMode(HandoverMode.HANDOVER_MODE_RELOAD).build());

      assertThat(c.reason())
          .isEqualTo("graceful reload onto bbbbbbbbbbbb failed, reloaded back: status 500");
      assertThat(c.outputTail()).contains("journal of app-uwsgi@live.service");
      assertThat(master.commands(2)).isEqualTo("rr");
    }
    assertThat(currentTarget()).isEqualTo("releases/" + A);
    assertThat(host.active()).contains("app-uwsgi@live.service");
  }

  @Test
  void refusals_nameTheField() throws Exception {
    FakeHost host = new FakeHost(runDir);
    assertThat(converge(host, spec("main").build()).reason()).contains("40-hex-digit");
    assertThat(converge(host, spec(A).setRunDir("/tmp/x").build()).reason())
        .contains("run_dir '/tmp/x' is not a directory directly in " + runRoot);
    assertThat(converge(host, spec(A).setSocketLink("/etc/passwd").build()).reason())
        .contains("socket link '/etc/passwd' is not directly in");
    assertThat(converge(host, spec(A).setWebUnit("app-uwsgi.service").build()).reason())
        .contains("is not a template");
    assertThat(host.changes()).isEmpty();
  }

  @Test
  void withACache_theNewReleaseEmptiesIt_onceItsOldInstanceStopped_andOnlyOnce() throws Exception {
    FakeHost host = servingA();
    Path cache = Files.createDirectories(root.resolve("nginx-cache/5/39"));
    Files.writeString(cache.resolve("abe2750d8860b65b2b875755c8b78395"), "A's page");
    Handover spec = spec(B).setCacheDir(root.resolve("nginx-cache").toString()).build();

    Convergence switched = converge(host, spec);

    assertThat(switched.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(switched.reason())
        .contains(
            "stopped app-uwsgi@" + A + ".service, emptied the cache " + root + "/nginx-cache (1")
        .contains("for the new release");
    assertThat(root.resolve("nginx-cache")).isEmptyDirectory();

    Files.writeString(root.resolve("nginx-cache/b-page"), "B's page");
    Convergence again = converge(host, spec);

    assertThat(again.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(root.resolve("nginx-cache/b-page")).hasContent("B's page");
  }

  @Test
  void aCacheDirOutsideItsOwnDirectoryInRoot_isRefused_beforeAnythingIsDeleted() throws Exception {
    FakeHost host = servingA();
    Files.writeString(root.resolve("releases/" + A + "/app.py"), "code");

    for (String dir : List.of(root.resolve("releases").toString(), dir.toString(), "/etc")) {
      Convergence c = converge(host, spec(B).setCacheDir(dir).build());

      assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
      assertThat(c.reason())
          .isEqualTo("cache_dir '" + dir + "' is not a directory of its own directly in " + root);
    }
    assertThat(root.resolve("releases/" + A + "/app.py")).hasContent("code");
    assertThat(host.changes()).isEmpty();
  }

  /** The changes {@code host} saw after the first {@code skip}. */
  private static List<String> changesAfter(FakeHost host, int skip) {
    List<String> all = host.changes();
    return all.subList(skip, all.size());
  }

  @Test
  void rebootOfAConvergedHost_whileSystemdStillStartsTheLiveUnits_changesNothing()
      throws Exception {
    FakeHost host = new FakeHost(runDir);
    assertThat(converge(host, spec(A).build()).outcome())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    int before = host.changes().size();
    host.reboot(3);
    assertThat(runDir).isEmptyDirectory();

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("serving aaaaaaaaaaaa");
    assertThat(changesAfter(host, before)).isEmpty();
    assertThat(socketTarget()).as("linked by the unit's ExecStartPost").isEqualTo(A + ".sock");
    assertThat(host.active())
        .containsExactlyInAnyOrder(
            "app-uwsgi@" + A + ".service", "app-celery-worker@" + A + ".service");
    assertThat(host.lines())
        .contains(
            "systemctl list-jobs --no-legend app-uwsgi@"
                + A
                + ".service app-celery-worker@"
                + A
                + ".service");
  }

  @Test
  void rebootWhileTheSiteDoesNotAnswerYet_neverStopsTheInstanceSystemdStarted() throws Exception {
    FakeHost host = new FakeHost(runDir);
    converge(host, spec(A).build());
    host.reboot(2);
    siteAnswer = Convergence.failed("status 502");

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(host.active()).contains("app-uwsgi@" + A + ".service");
    assertThat(socketTarget()).isEqualTo(A + ".sock");
  }

  @Test
  void rebootInReloadMode_changesNothing() throws Exception {
    FakeHost host = new FakeHost(runDir);
    Handover spec = spec(A).setMode(HandoverMode.HANDOVER_MODE_RELOAD).build();
    assertThat(converge(host, spec).outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    int before = host.changes().size();
    host.reboot(2);

    Convergence c = converge(host, spec);

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(changesAfter(host, before)).isEmpty();
    assertThat(socketTarget()).isEqualTo("live.sock");
  }

  @Test
  void rebootWhereTheLiveInstanceFailedToStart_startsIt_andLinksItAgain() throws Exception {
    FakeHost host = new FakeHost(runDir);
    converge(host, spec(A).build());
    int before = host.changes().size();
    host.failsAtBoot("app-uwsgi@" + A + ".service").reboot(2);

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).contains("traffic → app-uwsgi@" + A + ".service");
    assertThat(changesAfter(host, before))
        .containsExactly("systemctl start app-uwsgi@" + A + ".service");
    assertThat(socketTarget()).isEqualTo(A + ".sock");
    assertThat(host.active()).contains("app-uwsgi@" + A + ".service");
  }

  @Test
  void rebootWhereTheWorkerFailedToStart_startsIt() throws Exception {
    FakeHost host = new FakeHost(runDir);
    converge(host, spec(A).build());
    int before = host.changes().size();
    host.failsAtBoot("app-celery-worker@" + A + ".service").reboot(2);

    Convergence c = converge(host, spec(A).build());

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).contains("worker aaaaaaaaaaaa started");
    assertThat(changesAfter(host, before))
        .containsExactly("systemctl start app-celery-worker@" + A + ".service");
  }
}
