package io.pulley.controller.manifest;

/**
 * Resolves a branch, tag or commit id of a Git remote to a commit, so that every host of a rollout
 * deploys the same commit. Implementations are thread-safe; a call may contact the remote, so it is
 * not free, but it has no side effects.
 */
public interface GitRefResolver {

  /**
   * Resolves {@code ref} (a branch, a tag, a full ref name such as {@code refs/tags/v1} or a
   * 40-hex-digit commit id) in the repository at {@code url}. Never throws for a missing ref or an
   * unreachable remote: those are outcomes, reported in the result.
   */
  RefResolution resolve(String url, String ref);

  /**
   * Resolves {@code ref} in {@code remote}, with its credentials and expected host key. A resolver
   * that reads only public remotes reads its URL.
   */
  default RefResolution resolve(GitRemote remote, String ref) {
    return resolve(remote.url(), ref);
  }
}
