package io.pulley.agent.apply.git;

import org.eclipse.jgit.lib.RepositoryCacheConfig;

/**
 * Turns off the periodic clean-up of JGit's repository cache. JGit schedules it (every 6 minutes by
 * default) on its own {@code JGit-WorkQueue} thread as soon as the cache's class loads, which would
 * wake the idle agent for good after its first Git release; the agent opens its caches by path and
 * closes them after each apply, so it never keeps repositories in that cache. Idempotent and
 * thread-safe (JGit's reconfiguration is synchronized).
 */
final class QuietRepositoryCache {
  private QuietRepositoryCache() {}

  /** Call before JGit opens a repository; cheap enough to call before each. */
  static void install() {
    RepositoryCacheConfig config = new RepositoryCacheConfig();
    config.setCleanupDelay(RepositoryCacheConfig.NO_CLEANUP);
    config.install(); // cancels the clean-up scheduled when the cache's class loaded
  }
}
