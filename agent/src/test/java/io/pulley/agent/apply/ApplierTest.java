package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.wiring.Executors;
import io.pulley.v1.lite.AppPlan;
import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.Command;
import io.pulley.v1.lite.Directory;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.Resource;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.ResourceResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplierTest {
  @TempDir Path root;
  final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  private Applier applier() {
    return new Applier(Executors.forRoots(List.of(root)), root.resolve(".state"), journal(), clock);
  }

  private ApplyJournal journal() {
    return new ApplyJournal(root.resolve(".agent"));
  }

  private Resource dir(String id, String path) {
    return Resource.newBuilder()
        .setId(id)
        .setDirectory(Directory.newBuilder().setPath(root.resolve(path).toString()))
        .build();
  }

  private Resource file(String id, String path, String content) {
    return Resource.newBuilder()
        .setId(id)
        .setFile(File.newBuilder().setPath(root.resolve(path).toString()).setContent(content))
        .build();
  }

  private Resource command(String id, String creates, String... argv) {
    return Resource.newBuilder()
        .setId(id)
        .setCommand(Command.newBuilder().addAllArgv(List.of(argv)).setCreates(creates))
        .build();
  }

  private static AppPlan app(String name, long revision, Resource... resources) {
    return AppPlan.newBuilder()
        .setApplication(name)
        .setEnvironment("production")
        .setRevision(revision)
        .addAllResources(List.of(resources))
        .build();
  }

  private static List<ResourceOutcome> outcomes(ApplyReport report) {
    return report.getResultsList().stream().map(ResourceResult::getOutcome).toList();
  }

  private HostPlan goodPlan() {
    String marker = root.resolve("shop/migrated").toString();
    return HostPlan.newBuilder()
        .setHostId("web-1")
        .setPlanId("p1")
        .addApps(
            app(
                "shop",
                3,
                dir("dir:shop", "shop"),
                file("file:shop.conf", "shop/shop.conf", "port = 1\n"),
                command("command:migrate", marker, "touch", marker)))
        .addApps(app("blog", 7, dir("dir:blog", "blog")))
        .build();
  }

  @Test
  void apply_goodPlan_succeedsAndFillsTheReport() {
    Applier.Run run = applier().apply(goodPlan(), () -> false);

    ApplyReport report = run.report();
    assertThat(run.complete()).isTrue();
    assertThat(report.getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    assertThat(report.getHostId()).isEqualTo("web-1");
    assertThat(report.getPlanId()).isEqualTo("p1");
    assertThat(report.getStartedAt().getSeconds()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(report.getRevisionsList())
        .extracting(r -> r.getApplication() + "@" + r.getRevision())
        .containsExactly("shop@3", "blog@7");
    assertThat(outcomes(report)).containsOnly(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(report.getResults(1).getApplication()).isEqualTo("shop");
    assertThat(report.getResults(1).getResourceId()).isEqualTo("file:shop.conf");
  }

  @Test
  void apply_afterOneThatDiedMidway_saysWhereItWasCutShort_andLeavesNoTrace() throws Exception {
    java.nio.file.Files.createDirectories(root.resolve(".agent"));
    ApplyJournal dying = journal(); // what an agent killed in file:shop.conf had written
    dying.begin("p0", clock.instant().minusSeconds(60));
    dying.converging("shop", "production", "file:shop.conf");

    ApplyReport resumed = applier().apply(goodPlan(), () -> false).report();

    assertThat(resumed.hasInterrupted()).isTrue();
    assertThat(resumed.getInterrupted().getPlanId()).isEqualTo("p0");
    assertThat(resumed.getInterrupted().getResourceId()).isEqualTo("file:shop.conf");
    assertThat(resumed.getInterrupted().getApplication()).isEqualTo("shop");
    assertThat(resumed.getInterrupted().getStopped()).isFalse();
    assertThat(journal().interrupted()).isEmpty();
    assertThat(applier().apply(goodPlan(), () -> false).report().hasInterrupted()).isFalse();
  }

  @Test
  void apply_cutShortByAStop_isReportedAsStoppedByTheNext() throws Exception {
    java.nio.file.Files.createDirectories(root.resolve(".agent"));
    java.util.concurrent.atomic.AtomicInteger checks =
        new java.util.concurrent.atomic.AtomicInteger();

    Applier.Run stopped = applier().apply(goodPlan(), () -> checks.incrementAndGet() > 1);
    ApplyReport next = applier().apply(goodPlan(), () -> false).report();

    assertThat(stopped.complete()).isFalse();
    assertThat(next.getInterrupted().getStopped()).isTrue();
    assertThat(next.getInterrupted().getResourceId()).isEqualTo("dir:shop");
  }

  @Test
  void apply_samePlanTwice_reportsEverythingUnchanged() {
    applier().apply(goodPlan(), () -> false);

    ApplyReport second = applier().apply(goodPlan(), () -> false).report();

    assertThat(second.getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    assertThat(outcomes(second)).containsOnly(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void apply_failedResource_skipsTheRestOfThatAppOnly() {
    HostPlan plan =
        HostPlan.newBuilder()
            .setPlanId("p2")
            .addApps(
                app(
                    "shop",
                    1,
                    dir("dir:shop", "shop"),
                    command("command:false", "", "false"),
                    file("file:a", "shop/a", "a"),
                    file("file:b", "shop/b", "b")))
            .addApps(app("blog", 1, dir("dir:blog", "blog")))
            .build();

    ApplyReport report = applier().apply(plan, () -> false).report();

    assertThat(report.getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_FAILED);
    assertThat(outcomes(report))
        .containsExactly(
            ResourceOutcome.RESOURCE_OUTCOME_CHANGED,
            ResourceOutcome.RESOURCE_OUTCOME_FAILED,
            ResourceOutcome.RESOURCE_OUTCOME_SKIPPED,
            ResourceOutcome.RESOURCE_OUTCOME_SKIPPED,
            ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(report.getResults(1).getReason()).isEqualTo("exit status 1");
    assertThat(report.getResults(2).getReason()).isEqualTo("skipped: command:false failed");
    assertThat(root.resolve("shop/a")).doesNotExist();
    assertThat(root.resolve("blog")).isDirectory();
  }

  @Test
  void apply_aCommandFailingOnAFullDisk_saysSoFirstInItsReason() {
    HostPlan plan =
        HostPlan.newBuilder()
            .addApps(
                app(
                    "shop",
                    1,
                    command(
                        "command:seed",
                        "",
                        "sh",
                        "-c",
                        "echo 'cannot write /srv/shop/shared/data/seed.db: No space left on device'"
                            + " >&2; exit 1")))
            .build();

    ResourceResult result = applier().apply(plan, () -> false).report().getResults(0);

    assertThat(result.getOutcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(result.getReason()).startsWith("No space left on device — ");
  }

  @Test
  void apply_executorException_becomesOneLineFailure() {
    Resource badOwner =
        Resource.newBuilder()
            .setId("dir:x")
            .setDirectory(
                Directory.newBuilder()
                    .setPath(root.resolve("x").toString())
                    .setOwner("no-such-user-pulley"))
            .build();
    HostPlan plan = HostPlan.newBuilder().addApps(app("shop", 1, badOwner)).build();

    ResourceResult result = applier().apply(plan, () -> false).report().getResults(0);

    assertThat(result.getOutcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(result.getReason()).isEqualTo("no such user 'no-such-user-pulley'");
  }

  @Test
  void apply_stopRequested_skipsRemainingAndIsIncomplete() {
    Applier.Run run = applier().apply(goodPlan(), () -> true);

    assertThat(run.complete()).isFalse();
    assertThat(outcomes(run.report())).containsOnly(ResourceOutcome.RESOURCE_OUTCOME_SKIPPED);
  }

  @Test
  void apply_resourceWithoutKind_fails() {
    HostPlan plan =
        HostPlan.newBuilder()
            .addApps(app("shop", 1, Resource.newBuilder().setId("empty").build()))
            .build();

    ResourceResult result = applier().apply(plan, () -> false).report().getResults(0);

    assertThat(result.getReason()).isEqualTo("resource has no kind");
  }
}
