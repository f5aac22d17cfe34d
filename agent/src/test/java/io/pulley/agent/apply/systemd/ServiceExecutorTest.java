package io.pulley.agent.apply.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.RecordingRunner;
import io.pulley.testing.ManualClock;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.Service;
import io.pulley.v1.lite.ServiceState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceExecutorTest {
  static final String UNIT = "[Service]\nExecStart=/usr/bin/uwsgi --ini /srv/app/uwsgi.ini\n";

  @TempDir Path unitDir;
  @TempDir Path stateRoot;

  private Path stateDir() {
    return stateRoot.resolve("app/test");
  }

  /** A runner for a host where the unit is enabled and running, unless told otherwise. */
  private static RecordingRunner host(boolean enabled, boolean active) {
    return new RecordingRunner()
        .answer("systemctl is-enabled", enabled ? 0 : 1, enabled ? "enabled\n" : "disabled\n")
        .answer("systemctl is-active", active ? 0 : 3, active ? "active\n" : "inactive\n");
  }

  private final List<Duration> pauses = new ArrayList<>();

  /** An executor whose waits move a manual clock instead of sleeping. */
  private ServiceExecutor executor(PathGuard guard, CommandRunner runner) {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-02T00:00:00Z"));
    return new ServiceExecutor(
        guard,
        runner,
        unitDir,
        d -> {
          pauses.add(d);
          clock.advance(d);
        },
        clock);
  }

  private Convergence converge(CommandRunner runner, Service spec, ApplyContext context)
      throws Exception {
    return executor(new PathGuard(List.of(unitDir)), runner).converge(spec, context);
  }

  private static Service.Builder uwsgi() {
    return Service.newBuilder()
        .setName("app-uwsgi.service")
        .setUnit(UNIT)
        .addRestartOn("file:settings")
        .addReloadOn("file:nginx-site");
  }

  @Test
  void converge_newUnit_isWrittenReloadedEnabledAndStarted() throws Exception {
    RecordingRunner runner = host(false, false);

    Convergence c = converge(runner, uwsgi().build(), Contexts.plain(stateDir()));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("unit file written, enabled, started (unit changed)");
    assertThat(c.drift()).isEmpty();
    assertThat(runner.changes())
        .containsExactly(
            "systemctl daemon-reload",
            "systemctl enable app-uwsgi.service",
            "systemctl restart app-uwsgi.service");
    Path file = unitDir.resolve("app-uwsgi.service");
    assertThat(file).hasContent(UNIT);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void converge_again_changesAndRestartsNothing() throws Exception {
    converge(host(false, false), uwsgi().build(), Contexts.plain(stateDir()));
    RecordingRunner runner = host(true, true);

    Convergence c = converge(runner, uwsgi().build(), Contexts.plain(stateDir()));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("service app-uwsgi.service is running");
    assertThat(runner.changes()).isEmpty();
  }

  @Test
  void converge_restartOnResourceChanged_restarts() throws Exception {
    converge(host(false, false), uwsgi().build(), Contexts.plain(stateDir()));
    RecordingRunner runner = host(true, true);

    Convergence c =
        converge(runner, uwsgi().build(), Contexts.afterChanges(stateDir(), "file:settings"));

    assertThat(c.reason()).isEqualTo("restarted (file:settings changed)");
    assertThat(runner.changes()).containsExactly("systemctl restart app-uwsgi.service");
  }

  @Test
  void converge_reloadOnResourceChanged_reloadsARunningService() throws Exception {
    RecordingRunner runner = host(true, true);
    Service nginx = Service.newBuilder().setName("nginx.service").addReloadOn("file:site").build();

    Convergence c = converge(runner, nginx, Contexts.afterChanges(stateDir(), "file:site"));

    assertThat(c.reason()).isEqualTo("reloaded (file:site changed)");
    assertThat(runner.changes()).containsExactly("systemctl reload nginx.service");
  }

  @Test
  void converge_reloadOnResourceChanged_startsAStoppedService() throws Exception {
    RecordingRunner runner = host(true, false);
    Service nginx = Service.newBuilder().setName("nginx.service").addReloadOn("file:site").build();

    converge(runner, nginx, Contexts.afterChanges(stateDir(), "file:site"));

    assertThat(runner.changes()).containsExactly("systemctl start nginx.service");
  }

  @Test
  void converge_failedRestart_isReportedWithScrubbedJournalAndRetried() throws Exception {
    RecordingRunner failing =
        host(true, true)
            .answer("systemctl restart", 1, "Job for app-uwsgi.service failed.\n")
            .answer("journalctl", 0, "uwsgi: bad password pw123456\n");

    Convergence failed =
        converge(
            failing,
            uwsgi().build(),
            Contexts.withSecrets(stateDir(), Map.of("database-password", "pw123456")));
    RecordingRunner next = host(true, true);
    Convergence retried = converge(next, uwsgi().build(), Contexts.plain(stateDir()));
    RecordingRunner last = host(true, true);
    Convergence settled = converge(last, uwsgi().build(), Contexts.plain(stateDir()));

    assertThat(failed.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(failed.reason()).isEqualTo("systemctl restart app-uwsgi.service: exit status 1");
    assertThat(failed.outputTail())
        .isEqualTo("Job for app-uwsgi.service failed.\nuwsgi: bad password ***\n");
    assertThat(retried.reason()).isEqualTo("restarted (owed since an earlier apply)");
    assertThat(next.changes())
        .containsExactly("systemctl daemon-reload", "systemctl restart app-uwsgi.service");
    assertThat(settled.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(last.changes()).isEmpty();
  }

  @Test
  void converge_failedDaemonReload_isRetriedByTheNextApply() throws Exception {
    RecordingRunner failing = host(false, false).answer("systemctl daemon-reload", 1, "no\n");
    Convergence failed = converge(failing, uwsgi().build(), Contexts.plain(stateDir()));
    RecordingRunner next = host(true, true);

    Convergence retried = converge(next, uwsgi().build(), Contexts.plain(stateDir()));

    assertThat(failed.reason()).isEqualTo("systemctl daemon-reload: exit status 1");
    assertThat(retried.reason()).isEqualTo("restarted (owed since an earlier apply)");
    assertThat(next.changes())
        .containsExactly("systemctl daemon-reload", "systemctl restart app-uwsgi.service");
    assertThat(converge(host(true, true), uwsgi().build(), Contexts.plain(stateDir())).outcome())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void converge_restartIsRecordedBeforeItIsAttempted() throws Exception {
    ServiceMemory memory = new ServiceMemory(stateDir());
    List<ServiceMemory.Pending> owedAtRestart = new ArrayList<>();
    RecordingRunner host = host(true, true);
    CommandRunner watching =
        invocation -> {
          if (invocation.display().startsWith("systemctl restart")) {
            owedAtRestart.add(read(memory));
          }
          return host.run(invocation);
        };

    converge(watching, uwsgi().build(), Contexts.afterChanges(stateDir(), "file:settings"));

    assertThat(owedAtRestart).containsExactly(ServiceMemory.Pending.RESTART);
    assertThat(read(memory)).isEqualTo(ServiceMemory.Pending.NONE);
    Path dir = stateDir().resolve("services");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  private static ServiceMemory.Pending read(ServiceMemory memory) {
    try {
      return memory.read("app-uwsgi.service").pending();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void converge_serviceStoppedByHand_isStartedAndReportedAsDrift() throws Exception {
    converge(host(true, true), uwsgi().build(), Contexts.plain(stateDir()));
    RecordingRunner runner = host(true, false);

    Convergence c = converge(runner, uwsgi().build(), Contexts.plain(stateDir()));

    assertThat(c.reason()).isEqualTo("started");
    assertThat(c.drift()).isEqualTo("was inactive");
    assertThat(runner.changes()).containsExactly("systemctl start app-uwsgi.service");
  }

  @Test
  void converge_packagedServiceNeverConverged_isStartedWithoutDrift() throws Exception {
    RecordingRunner runner = host(true, false);

    Convergence c =
        converge(
            runner,
            Service.newBuilder().setName("redis-server.service").build(),
            Contexts.plain(stateDir()));

    assertThat(c.reason()).isEqualTo("started");
    assertThat(c.drift()).isEmpty();
    assertThat(unitDir).isEmptyDirectory();
  }

  @Test
  void converge_stateStopped_stopsARunningServiceAndOwesNothing() throws Exception {
    RecordingRunner runner = host(true, true);
    Service spec = uwsgi().setState(ServiceState.SERVICE_STATE_STOPPED).setDisabled(true).build();

    Convergence c = converge(runner, spec, Contexts.afterChanges(stateDir(), "file:settings"));

    assertThat(c.reason()).isEqualTo("unit file written, stopped");
    assertThat(runner.changes())
        .containsExactly("systemctl daemon-reload", "systemctl stop app-uwsgi.service");
    assertThat(runner.lines()).noneMatch(l -> l.startsWith("systemctl is-enabled"));
  }

  @Test
  void converge_maskedUnit_fails() throws Exception {
    RecordingRunner runner = host(true, true).answer("systemctl is-enabled", 1, "masked\n");

    Convergence c =
        converge(
            runner,
            Service.newBuilder().setName("nginx.service").build(),
            Contexts.plain(stateDir()));

    assertThat(c.reason()).isEqualTo("nginx.service is masked (systemctl unmask it first)");
    assertThat(runner.changes()).isEmpty();
  }

  @Test
  void converge_invalidUnitName_failsNamingItWithoutRunning() throws Exception {
    RecordingRunner runner = host(true, true);

    Convergence c =
        converge(runner, uwsgi().setName("../../evil.service").build(), Contexts.plain(stateDir()));

    assertThat(c.reason()).startsWith("unit name '../../evil.service' is not valid");
    assertThat(runner.calls()).isEmpty();
  }

  @Test
  void converge_unitDirOutsideTheAllowedRoots_fails() throws Exception {
    RecordingRunner runner = host(true, true);
    ServiceExecutor executor = executor(new PathGuard(List.of(stateRoot)), runner);

    Convergence c = executor.converge(uwsgi().build(), Contexts.plain(stateDir()));

    assertThat(c.reason()).contains("is outside the allowed roots");
    assertThat(runner.calls()).isEmpty();
  }

  private static Service.Builder postgresql() {
    return Service.newBuilder()
        .setName("postgresql.service")
        .setProbe(
            io.pulley.v1.lite.ServiceProbe.newBuilder()
                .addArgv("pg_isready")
                .addArgv("--quiet")
                .setTimeoutSeconds(2));
  }

  private static CommandRunner.Result silent() {
    return CommandRunner.Result.exited(2, "no response\n");
  }

  /** A host whose cluster is down under its active wrapper unit, until the unit is restarted. */
  private static CommandRunner clusterDownUntilRestarted(RecordingRunner runner) {
    java.util.concurrent.atomic.AtomicBoolean restarted =
        new java.util.concurrent.atomic.AtomicBoolean();
    return invocation -> {
      CommandRunner.Result result = runner.run(invocation);
      if (invocation.display().equals("systemctl restart postgresql.service")) {
        restarted.set(true);
      }
      if (invocation.display().startsWith("pg_isready")) {
        return restarted.get() ? CommandRunner.Result.exited(0, "") : silent();
      }
      return result;
    };
  }

  @Test
  void converge_activeButNotAnswering_isRestartedOnce_andReportedAsDrift() throws Exception {
    RecordingRunner runner = host(true, true);

    Convergence c =
        converge(
            clusterDownUntilRestarted(runner), postgresql().build(), Contexts.plain(stateDir()));

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("restarted (it did not answer)");
    assertThat(c.drift())
        .isEqualTo(
            "was active but did not answer: pg_isready --quiet: exit status 2 (no response)");
    assertThat(runner.lines())
        .containsSubsequence(
            "pg_isready --quiet", "systemctl restart postgresql.service", "pg_isready --quiet");
    assertThat(runner.changes())
        .filteredOn(l -> l.startsWith("systemctl"))
        .containsExactly("systemctl restart postgresql.service");
  }

  @Test
  void converge_notAnsweringAtFirst_butWithinTheGrace_isNotRestarted() throws Exception {
    RecordingRunner runner =
        host(true, true).answer("pg_isready", silent(), CommandRunner.Result.exited(0, ""));

    Convergence c = converge(runner, postgresql().build(), Contexts.plain(stateDir()));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.drift()).isEmpty();
    assertThat(runner.changes()).containsOnly("pg_isready --quiet");
  }

  @Test
  void converge_answering_changesNothing() throws Exception {
    RecordingRunner runner = host(true, true).answer("pg_isready", 0, "");

    Convergence c = converge(runner, postgresql().build(), Contexts.plain(stateDir()));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(runner.changes()).containsExactly("pg_isready --quiet");
  }

  @Test
  void converge_neverAnswering_failsSayingTheUnitIsActiveButWhatItServesIsNot() throws Exception {
    RecordingRunner runner = host(true, true).answer("pg_isready", silent());

    Convergence c = converge(runner, postgresql().build(), Contexts.plain(stateDir()));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason())
        .isEqualTo(
            "service postgresql.service is active but does not answer, even restarted:"
                + " pg_isready --quiet: exit status 2 (no response)");
  }

  private static Service.Builder beat() {
    return Service.newBuilder()
        .setName("app-celery-beat.service")
        .setUnit("[Service]\nExecStart=/srv/app/current/venv/bin/python -m celery beat\n")
        .addAllRestartOn(List.of("handover", "file:settings", "file:environment"));
  }

  /**
   * A host just booted: systemd's start job for {@code unit} (waiting for the database and the
   * broker it is ordered after) ends after {@code polls} queries of list-jobs, or when a systemctl
   * start joins it; until then the unit is not active.
   */
  private static CommandRunner booting(RecordingRunner runner, String unit, int polls) {
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(polls);
    return invocation -> {
      runner.run(invocation);
      String line = invocation.display();
      if (line.equals("systemctl list-jobs --no-legend " + unit)) {
        return CommandRunner.Result.exited(
            0, left.getAndDecrement() > 0 ? "42 " + unit + " start waiting\n" : "");
      }
      if (line.equals("systemctl start " + unit) || line.equals("systemctl restart " + unit)) {
        left.set(0);
      }
      if (line.equals("systemctl is-active " + unit)) {
        return left.get() > 0
            ? CommandRunner.Result.exited(3, "inactive\n")
            : CommandRunner.Result.exited(0, "active\n");
      }
      return line.startsWith("systemctl is-enabled")
          ? CommandRunner.Result.exited(0, "enabled\n")
          : CommandRunner.Result.exited(0, "");
    };
  }

  @Test
  void converge_afterAReboot_beatStillStartingIsWaitedFor_andNeitherStartedNorReportedAsDrift()
      throws Exception {
    converge(host(false, false), beat().build(), Contexts.plain(stateDir()));
    RecordingRunner runner = new RecordingRunner();

    Convergence c =
        converge(
            booting(runner, "app-celery-beat.service", 3),
            beat().build(),
            Contexts.plain(stateDir()));

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("service app-celery-beat.service is running");
    assertThat(c.drift()).isEmpty();
    assertThat(runner.changes()).isEmpty();
    assertThat(pauses).hasSize(3);
  }

  @Test
  void converge_afterAReboot_beatIsRestartedOnlyWhenTheHandoverChanged() throws Exception {
    converge(host(false, false), beat().build(), Contexts.plain(stateDir()));
    RecordingRunner runner = new RecordingRunner();

    Convergence c =
        converge(
            booting(runner, "app-celery-beat.service", 1),
            beat().build(),
            Contexts.afterChanges(stateDir(), "handover"));

    assertThat(c.reason()).isEqualTo("restarted (handover changed)");
    assertThat(runner.changes()).containsExactly("systemctl restart app-celery-beat.service");
  }

  @Test
  void converge_aJobThatNeverEnds_isWaitedForUntilTheDeadline_thenTheUnitIsTakenAsItIs()
      throws Exception {
    converge(host(false, false), beat().build(), Contexts.plain(stateDir()));
    RecordingRunner runner = new RecordingRunner();

    Convergence c =
        converge(
            booting(runner, "app-celery-beat.service", Integer.MAX_VALUE),
            beat().build(),
            Contexts.plain(stateDir()));

    assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus))
        .isGreaterThanOrEqualTo(PendingStarts.DEADLINE);
    assertThat(c.reason()).isEqualTo("started");
    assertThat(c.drift()).isEqualTo("was inactive");
    assertThat(runner.changes()).containsExactly("systemctl start app-celery-beat.service");
  }

  @Test
  void converge_aUnitSystemdIsStopping_isNotWaitedFor() throws Exception {
    RecordingRunner runner =
        host(true, true).answer("systemctl list-jobs", 0, "42 app-uwsgi.service stop running\n");

    converge(runner, uwsgi().build(), Contexts.plain(stateDir()));

    assertThat(pauses).isEmpty();
    assertThat(runner.lines()).contains("systemctl list-jobs --no-legend app-uwsgi.service");
  }
}
