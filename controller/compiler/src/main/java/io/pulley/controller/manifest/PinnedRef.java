package io.pulley.controller.manifest;

/**
 * A resolver that answers one ref of one remote with a commit given in advance, without asking the
 * remote, and every other ref as {@code others} does: a promoted or kept release is compiled at the
 * commit its hosts ran, never at wherever its branch has moved since. Thread-safe if {@code others}
 * is.
 */
record PinnedRef(GitRefResolver others, String url, String ref, String commit)
    implements GitRefResolver {

  @Override
  public RefResolution resolve(String asked, String askedRef) {
    return pinned(asked, askedRef)
        ? RefResolution.resolved(commit)
        : others.resolve(asked, askedRef);
  }

  @Override
  public RefResolution resolve(GitRemote remote, String askedRef) {
    return pinned(remote.url(), askedRef)
        ? RefResolution.resolved(commit)
        : others.resolve(remote, askedRef);
  }

  private boolean pinned(String askedUrl, String askedRef) {
    return askedUrl.equals(url) && askedRef.equals(ref);
  }
}
