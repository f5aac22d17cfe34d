package io.pulley.agent.apply.git;

import org.eclipse.jgit.lib.RepositoryCacheConfig;

/**
 * Turns off the periodic clean-up of JGit's repository cache. JGit schedules it (every 6 minutes by
 * default) on its own {@code JGit-WorkQueue} thread as soon as a repository is opened, which would
 * wake the idle agent for good after its first Git release; the agent opens its caches by path and
 * closes them after each apply, so it never keeps repositories in that cache. Idempotent and
 * thread-safe.
 */
final class QuietRepositoryCache {
  private static boolean installed;

  private QuietRepositoryCache() {}

  /** Call before JGit opens a repository. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    RepositoryCacheConfig config = new RepositoryCacheConfig();
    config.setCleanupDelay(RepositoryCacheConfig.NO_CLEANUP);
    config.install(); // cancels the clean-up the cache scheduled when its class loaded
    installed = true;
  }

  static synchronized boolean installed() {
    return installed;
  }
}
