package io.pulley.agent.apply.git;

import org.eclipse.jgit.lib.internal.WorkQueue;

/**
 * Ends the thread JGit keeps for its scheduled work once a repository was opened. The daemon loads
 * JGit for one apply and unloads it afterwards (io.pulley.agent.apply.unloading); a live {@code
 * JGit-WorkQueue} thread would hold JGit, and with it every class of that apply, in memory for
 * good. Its only scheduled work is the repository cache's clean-up, which the agent turns off
 * ({@link QuietRepositoryCache}).
 */
public final class JGitThreads {
  private JGitThreads() {}

  /** Call after the apply, when this copy of JGit will not be used again. */
  public static void stop() {
    WorkQueue.getExecutor().shutdownNow();
  }
}
