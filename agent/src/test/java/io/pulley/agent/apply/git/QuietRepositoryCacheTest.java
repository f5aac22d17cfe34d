package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.RunnableScheduledFuture;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RepositoryCacheConfig;
import org.eclipse.jgit.lib.internal.WorkQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuietRepositoryCacheTest {
  @TempDir Path dir;

  /** Periodic tasks on JGit's own thread that are still to run. */
  private static long periodicTasks() {
    return WorkQueue.getExecutor().getQueue().stream()
        .filter(task -> task instanceof RunnableScheduledFuture<?> future && future.isPeriodic())
        .filter(task -> !((RunnableScheduledFuture<?>) task).isCancelled())
        .count();
  }

  @Test
  void install_afterJGitScheduledItsCacheCleanUp_leavesNoPeriodicTask() throws Exception {
    new RepositoryCacheConfig().install(); // JGit's default: a clean-up every few minutes
    long scheduledByJGit = periodicTasks();

    QuietRepositoryCache.install();
    try (Git git = Git.init().setBare(true).setDirectory(dir.toFile()).call()) {
      git.getRepository().getConfig();
    }

    assertThat(scheduledByJGit).isEqualTo(1);
    assertThat(periodicTasks()).isZero();
  }
}
