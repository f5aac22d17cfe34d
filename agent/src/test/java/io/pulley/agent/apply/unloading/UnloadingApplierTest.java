package io.pulley.agent.apply.unloading;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.HelloPlans;
import io.pulley.agent.apply.Applier;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.GitRelease;
import io.pulley.v1.HostPlan;
import io.pulley.v1.Resource;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnloadingApplierTest {
  @TempDir Path root;

  @org.junit.jupiter.api.BeforeEach
  void agentDirectory() throws java.io.IOException {
    Files.createDirectories(root.resolve("agent"));
  }

  @Test
  void appliesWithExecutorsOfItsOwnAndUnloadsThemAfterwards() throws Exception {
    Path repo = root.resolve("repo");
    String commit = commitOneFile(repo);
    Path srv = Files.createDirectories(root.resolve("srv"));
    HostPlan plan = plan(srv, repo, commit);
    UnloadingApplier applier =
        UnloadingApplier.fromThisJvm(
            List.of(srv), root.resolve("agent"), "127.0.0.1:1", Clock.systemUTC());

    Applier.Run run = applier.apply(plan, () -> false);

    assertThat(run.complete()).isTrue();
    assertThat(run.report().getResultsList())
        .extracting(ResourceResult::getReason)
        .hasSize(2)
        .allSatisfy(reason -> assertThat(reason).doesNotContain("fail"));
    assertThat(run.report().getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_SUCCEEDED);
    assertThat(run.report().getResultsList())
        .extracting(ResourceResult::getOutcome)
        .containsOnly(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(srv.resolve("greeting.txt")).hasContent("hello\n");
    assertThat(srv.resolve("app/releases").resolve(commit).resolve("app.py")).exists();
    // JGit's lock files registered its shutdown hook, and its work queue started a thread: both
    // are taken back, so the loader, JGit and the executors' copies go.
    assertThat(applier.lastRelease().get(3, TimeUnit.MINUTES)).isTrue();
    assertThat(applier.lastLoader()).isEmpty();
  }

  @Test
  void theLoaderTakesTheAgentsClassesAfreshButSharesThePlatformAndLogging() throws Exception {
    try (ApplyClassLoader loader =
        new ApplyClassLoader(ClassPath.ofThisJvm(), UnloadingApplierTest.class.getClassLoader())) {
      assertThat(loader.loadClass(Applier.class.getName())).isNotSameAs(Applier.class);
      assertThat(loader.loadClass(HostPlan.class.getName())).isNotSameAs(HostPlan.class);
      assertThat(loader.loadClass(Git.class.getName())).isNotSameAs(Git.class);
      assertThat(loader.loadClass(org.slf4j.Logger.class.getName()))
          .isSameAs(org.slf4j.Logger.class);
      assertThat(loader.loadClass(List.class.getName())).isSameAs(List.class);
    }
  }

  @Test
  void aStopRequestReachesTheLoadedApply() {
    UnloadingApplier applier =
        UnloadingApplier.fromThisJvm(
            List.of(root), root.resolve("agent"), "127.0.0.1:1", Clock.systemUTC());
    HostPlan plan = HelloPlans.plan("p1", HelloPlans.file(root, "a.txt", "a\n"));

    Applier.Run run = applier.apply(plan, () -> true);

    assertThat(run.complete()).isFalse();
    assertThat(run.report().getResults(0).getOutcome())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_SKIPPED);
    assertThat(root.resolve("a.txt")).doesNotExist();
  }

  @Test
  void executorsThatCannotBeLoadedFailTheApplyWithTheReason() {
    UnloadingApplier applier =
        new UnloadingApplier(
            ClassPath.ofThisJvm(),
            "io.pulley.agent.NoSuchEntry",
            List.of(root),
            root.resolve("agent"),
            "127.0.0.1:1",
            Clock.systemUTC());
    HostPlan plan =
        HelloPlans.plan(
            "p1", HelloPlans.file(root, "a.txt", "a\n"), HelloPlans.file(root, "b.txt", "b\n"));

    Applier.Run run = applier.apply(plan, () -> false);

    assertThat(run.complete()).isTrue();
    assertThat(run.report().getOutcome()).isEqualTo(ApplyOutcome.APPLY_OUTCOME_FAILED);
    assertThat(run.report().getResultsList())
        .extracting(ResourceResult::getOutcome)
        .containsExactly(
            ResourceOutcome.RESOURCE_OUTCOME_FAILED, ResourceOutcome.RESOURCE_OUTCOME_SKIPPED);
    assertThat(run.report().getResults(0).getReason())
        .startsWith("the agent could not run its executors: ")
        .contains("io.pulley.agent.NoSuchEntry");
    assertThat(root.resolve("a.txt")).doesNotExist();
  }

  private static String commitOneFile(Path repo) throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      Files.writeString(repo.resolve("app.py"), "print('hello')\n");
      git.add().addFilepattern("app.py").call();
      RevCommit commit =
          git.commit()
              .setMessage("one")
              .setAuthor("t", "t@example.invalid")
              .setCommitter("t", "t@example.invalid")
              .setSign(false)
              .call();
      return commit.getName();
    }
  }

  private static HostPlan plan(Path srv, Path repo, String commit) {
    return HelloPlans.plan(
        "p1",
        HelloPlans.file(srv, "greeting.txt", "hello\n"),
        Resource.newBuilder()
            .setId("git_release:app")
            .setGitRelease(
                GitRelease.newBuilder()
                    .setRoot(srv.resolve("app").toString())
                    .setUrl(repo.toUri().toString())
                    .setCommit(commit)
                    .setKeep(3))
            .build());
  }
}
