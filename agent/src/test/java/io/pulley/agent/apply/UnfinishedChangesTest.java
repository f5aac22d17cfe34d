package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.lite.AppPlan;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.Resource;
import io.pulley.v1.lite.Service;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration file changes, then a later step fails before the service that watches the file
 * runs: the next apply, in which the file is unchanged, must still tell the service it changed.
 */
class UnfinishedChangesTest {
  @TempDir Path state;
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  /** What the file executor answers, one per apply. */
  private final Deque<Convergence> fileOutcomes = new ArrayDeque<>();

  /** What the step between file and service answers, one per apply. */
  private final Deque<Convergence> stepOutcomes = new ArrayDeque<>();

  /** What the service saw as changed, one entry per time it ran. */
  private final List<Set<String>> serviceSaw = new ArrayList<>();

  @Test
  void changeBeforeAFailure_stillCountsInTheNextApply_untilAnApplyRunsToTheEnd() {
    Applier applier = applier();
    fileOutcomes.addAll(
        List.of(
            Convergence.changed("content changed"),
            Convergence.unchanged("as declared"),
            Convergence.unchanged("as declared")));
    stepOutcomes.addAll(
        List.of(
            Convergence.failed("migration failed"),
            Convergence.unchanged("done"),
            Convergence.unchanged("done")));

    applier.apply(plan(), () -> false); // file changed, step failed, service skipped
    applier.apply(plan(), () -> false); // nothing changes now, yet the service must restart
    applier.apply(plan(), () -> false); // that apply ran to the end: the change is spent

    assertThat(serviceSaw).containsExactly(Set.of("file:config"), Set.of());
  }

  @Test
  void changeInACompleteApply_isNotCarriedOver() {
    Applier applier = applier();
    fileOutcomes.addAll(
        List.of(Convergence.changed("content changed"), Convergence.unchanged("as declared")));
    stepOutcomes.addAll(List.of(Convergence.unchanged("done"), Convergence.unchanged("done")));

    applier.apply(plan(), () -> false);
    applier.apply(plan(), () -> false);

    assertThat(serviceSaw).containsExactly(Set.of("file:config"), Set.of());
  }

  private Applier applier() {
    ResourceExecutor<Resource> executors =
        (resource, context) ->
            switch (resource.getKindCase()) {
              case FILE -> fileOutcomes.remove();
              case COMMAND -> stepOutcomes.remove();
              case SERVICE -> {
                serviceSaw.add(Set.copyOf(context.changedResources()));
                yield Convergence.unchanged("running");
              }
              default -> throw new AssertionError("not part of this plan");
            };
    return new Applier(executors, state, new ApplyJournal(state), clock);
  }

  private static HostPlan plan() {
    return HostPlan.newBuilder()
        .setHostId("web-1")
        .setPlanId("p")
        .addApps(
            AppPlan.newBuilder()
                .setApplication("shop")
                .setEnvironment("production")
                .setRevision(1)
                .addResources(
                    Resource.newBuilder()
                        .setId("file:config")
                        .setFile(File.newBuilder().setPath("/srv/shop/config.ini")))
                .addResources(
                    Resource.newBuilder()
                        .setId("command:migrate")
                        .setCommand(io.pulley.v1.lite.Command.newBuilder().addArgv("/bin/true")))
                .addResources(
                    Resource.newBuilder()
                        .setId("service:web")
                        .setService(
                            Service.newBuilder()
                                .setName("web.service")
                                .addRestartOn("file:config"))))
        .build();
  }
}
