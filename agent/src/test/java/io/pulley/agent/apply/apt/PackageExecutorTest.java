package io.pulley.agent.apply.apt;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.process.CommandRunner.Result;
import io.pulley.agent.apply.process.RecordingRunner;
import io.pulley.testing.ManualClock;
import io.pulley.v1.lite.Package;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageExecutorTest {
  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  static final String QUERY = "dpkg-query -W -f ${Package}\t${Status}\n";
  static final String INSTALL =
      "apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600"
          + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold";

  @TempDir Path lists;
  @TempDir Path stateDir;
  final RecordingRunner runner = new RecordingRunner();

  private PackageExecutor executor() {
    return new PackageExecutor(runner, lists, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static Package packages(String... names) {
    return Package.newBuilder().addAllNames(List.of(names)).build();
  }

  private void listsDownloadedAgo(Duration age) throws Exception {
    Path file = Files.createFile(lists.resolve("mirror_dists_bookworm_main_binary-amd64_Packages"));
    Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
  }

  @Test
  void converge_allInstalled_isUnchangedAfterOneQuery() throws Exception {
    runner.answer(QUERY, 0, "nginx\tinstall ok installed\nredis-server\tinstall ok installed\n");

    Convergence c =
        executor().converge(packages("nginx", "redis-server"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.reason()).isEqualTo("installed: nginx, redis-server");
    assertThat(runner.lines()).containsExactly(QUERY + " nginx redis-server");
  }

  @Test
  void converge_someMissing_installsOnlyThoseNonInteractively() throws Exception {
    listsDownloadedAgo(Duration.ofMinutes(10));
    runner.answer(
        QUERY,
        1,
        "nginx\tinstall ok installed\nuwsgi\tdeinstall ok config-files\n"
            + "dpkg-query: no packages found matching redis-server\n");

    Convergence c =
        executor().converge(packages("nginx", "uwsgi", "redis-server"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("installed uwsgi, redis-server");
    assertThat(runner.changes()).containsExactly(INSTALL + " uwsgi redis-server");
    assertThat(runner.calls().get(1).env())
        .containsEntry("DEBIAN_FRONTEND", "noninteractive")
        .containsKey("PATH");
  }

  @Test
  void converge_withRecommends_installsThemToo_andOnlyThen() throws Exception {
    listsDownloadedAgo(Duration.ofMinutes(10));
    runner.answer(QUERY, 1, "dpkg-query: no packages found matching python3-django\n");

    Convergence c =
        executor()
            .converge(
                packages("python3-django").toBuilder().setInstallRecommends(true).build(),
                Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(runner.changes())
        .containsExactly(
            INSTALL.replace("--no-install-recommends", "--install-recommends") + " python3-django");
  }

  @Test
  void converge_staleLists_updatesBeforeInstalling() throws Exception {
    listsDownloadedAgo(Duration.ofHours(2));
    runner.answer(QUERY, 1, "");

    Convergence c = executor().converge(packages("nginx"), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("installed nginx (after apt-get update)");
    assertThat(runner.changes())
        .containsExactly("apt-get update -o DPkg::Lock::Timeout=600", INSTALL + " nginx");
  }

  @Test
  void converge_noListsAtAll_updatesBeforeInstalling() throws Exception {
    runner.answer(QUERY, 1, "");

    executor().converge(packages("nginx"), Contexts.plain(stateDir));

    assertThat(runner.changes()).first().asString().startsWith("apt-get update");
  }

  @Test
  void converge_packageUnknownToFreshLists_updatesAndRetriesOnce() throws Exception {
    listsDownloadedAgo(Duration.ofMinutes(5));
    runner
        .answer(QUERY, 1, "")
        .answer(
            INSTALL,
            Result.exited(100, "E: Unable to locate package wrk\n"),
            Result.exited(0, "Setting up wrk\n"));

    Convergence c = executor().converge(packages("wrk"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(runner.changes())
        .containsExactly(
            INSTALL + " wrk", "apt-get update -o DPkg::Lock::Timeout=600", INSTALL + " wrk");
  }

  @Test
  void converge_installFails_reportsTheScrubbedOutputTail() throws Exception {
    listsDownloadedAgo(Duration.ofMinutes(5));
    runner
        .answer(QUERY, 1, "")
        .answer(INSTALL, 100, "E: Sub-process /usr/bin/dpkg returned an error; token hunter2x\n");

    Convergence c =
        executor()
            .converge(packages("nginx"), Contexts.withSecrets(stateDir, Map.of("t", "hunter2x")));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("apt-get install: exit status 100");
    assertThat(c.outputTail())
        .isEqualTo("E: Sub-process /usr/bin/dpkg returned an error; token ***\n");
  }

  @Test
  void converge_afterDpkgWasKilledMidInstall_finishesItsWork_andInstalls() throws Exception {
    listsDownloadedAgo(Duration.ofMinutes(5));
    runner
        .answer(QUERY, 0, "nginx\tinstall ok unpacked\n")
        .answer(
            INSTALL,
            Result.exited(
                100,
                "E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct"
                    + " the problem.\n"),
            Result.exited(0, "nginx is already the newest version\n"))
        .answer("dpkg", 0, "Setting up nginx\n");

    Convergence c = executor().converge(packages("nginx"), Contexts.plain(stateDir));

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason())
        .isEqualTo("installed nginx (after dpkg --configure -a: an earlier install was cut short)");
    assertThat(runner.changes())
        .containsExactly(
            INSTALL + " nginx",
            "dpkg --force-confdef --force-confold --configure -a",
            INSTALL + " nginx");
  }

  @Test
  void converge_dpkgCannotFinishTheInterruptedInstall_failsWithItsOutput() throws Exception {
    listsDownloadedAgo(Duration.ofMinutes(5));
    runner
        .answer(QUERY, 1, "")
        .answer(
            INSTALL, 100, "E: dpkg was interrupted, you must manually run 'dpkg --configure -a'\n")
        .answer("dpkg", 1, "dpkg: error processing package nginx (--configure)\n");

    Convergence c = executor().converge(packages("nginx"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).startsWith("dpkg --force-confdef");
    assertThat(c.outputTail()).contains("error processing package nginx");
  }

  @Test
  void converge_updateFails_failsWithoutInstalling() throws Exception {
    runner.answer(QUERY, 1, "").answer("apt-get update", 100, "E: Could not resolve host\n");

    Convergence c = executor().converge(packages("nginx"), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("apt-get update: exit status 100");
    assertThat(runner.changes()).containsExactly("apt-get update -o DPkg::Lock::Timeout=600");
  }

  @Test
  void converge_invalidName_failsNamingItBeforeRunningAnything() throws Exception {
    Convergence c =
        executor().converge(packages("nginx", "-o=evil", "x"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).startsWith("package name '-o=evil' is not valid");
    assertThat(runner.calls()).isEmpty();
  }

  @Test
  void converge_noNames_fails() throws Exception {
    assertThat(executor().converge(packages(), Contexts.plain(stateDir)).reason())
        .isEqualTo("names is empty");
  }

  @Test
  void packageNames_followDebianPolicy() {
    assertThat(PackageNames.refusal("uwsgi-plugin-python3")).isEmpty();
    assertThat(PackageNames.refusal("libstdc++6")).isEmpty();
    assertThat(PackageNames.refusal("x")).isPresent();
    assertThat(PackageNames.refusal("Nginx")).isPresent();
    assertThat(PackageNames.refusal("python3-*")).isPresent();
  }

  private static final String LOCKED =
      "E: Could not get lock /var/cache/apt/archives/lock. It is held by process 812 (apt-get)\n"
          + "E: Unable to lock directory /var/cache/apt/archives/\n";

  @Test
  void installWhileAnotherAptHoldsItsArchivesLock_waitsAndTriesAgain() throws Exception {
    listsDownloadedAgo(Duration.ofMinutes(10));
    runner.answer(QUERY, 1, "");
    runner.answer(
        INSTALL, Result.exited(100, LOCKED), Result.exited(100, LOCKED), Result.exited(0, ""));
    ManualClock clock = new ManualClock(NOW);
    List<Duration> waits = new java.util.ArrayList<>();

    Convergence c =
        new PackageExecutor(
                runner,
                lists,
                clock,
                waited -> {
                  waits.add(waited);
                  clock.advance(waited);
                })
            .converge(packages("fail2ban"), Contexts.plain(stateDir));

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(runner.changes()).hasSize(3).allMatch(line -> line.equals(INSTALL + " fail2ban"));
    assertThat(waits).containsExactly(AptLockWait.PAUSE, AptLockWait.PAUSE);
  }

  @Test
  void lockHeldLongerThanTheWait_failsWithAptsWords() throws Exception {
    listsDownloadedAgo(Duration.ofMinutes(10));
    runner.answer(QUERY, 1, "");
    runner.answer(INSTALL, 100, LOCKED);
    ManualClock clock = new ManualClock(NOW);

    Convergence c =
        new PackageExecutor(runner, lists, clock, clock::advance)
            .converge(packages("fail2ban"), Contexts.plain(stateDir));

    assertThat(c.failed()).isTrue();
    assertThat(c.outputTail()).contains("Could not get lock /var/cache/apt/archives/lock");
    long tries = AptLockWait.WAIT.dividedBy(AptLockWait.PAUSE) + 1;
    assertThat(runner.changes()).hasSize((int) tries);
  }
}
