package io.pulley.controller.manifest;

import io.pulley.v1.GitRelease;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.StackGit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pins every Git release of a manifest, and its stack's Git ref, to a commit, asking the resolver
 * once per distinct remote and ref; for an SSH remote it also writes in the host key it accepted.
 * With {@link RemoteAccess}, the secrets a remote names are looked up, and a missing one is a
 * mistake in the manifest. Not thread-safe: one per compilation.
 */
final class ReleaseResolver {

  private final GitRefResolver resolver;
  private final Optional<RemoteAccess> access;
  private final Checks checks;
  private final Map<RefQuestion, RefResolution> asked = new HashMap<>();

  ReleaseResolver(GitRefResolver resolver, Optional<RemoteAccess> access, Checks checks) {
    this.resolver = resolver;
    this.access = access;
    this.checks = checks;
  }

  void resolveAll(Manifest.Builder manifest) {
    AppEnv app = new AppEnv(manifest.getApplication(), manifest.getEnvironment());
    List<Resource.Builder> resources = manifest.getResourcesBuilderList();
    for (int i = 0; i < resources.size(); i++) {
      if (resources.get(i).hasGitRelease()) {
        GitRelease.Builder release = resources.get(i).getGitReleaseBuilder();
        resolve(
            app,
            GitRemotes.Source.of(release.build()),
            release.getRef(),
            (commit, hostKey) -> {
              release.setCommit(commit);
              if (!hostKey.isEmpty()) {
                release.setHostKey(hostKey).setHostKeyFingerprint(SshHostKey.fingerprint(hostKey));
              }
            },
            "resources[" + i + "].git_release");
      }
    }
    if (manifest.hasStack()) {
      StackGit.Builder git = manifest.getStackBuilder().getGitBuilder();
      resolve(
          app,
          GitRemotes.Source.of(git.build()),
          git.getRef(),
          (commit, hostKey) -> {
            git.setCommit(commit);
            if (!hostKey.isEmpty()) {
              git.setHostKey(hostKey).setHostKeyFingerprint(SshHostKey.fingerprint(hostKey));
            }
          },
          "stack.git");
    }
  }

  private void resolve(AppEnv app, GitRemotes.Source source, String ref, Pin pin, String path) {
    GitRemote remote;
    if (access.isPresent()) {
      GitRemotes.Built built = GitRemotes.build(app, source, access.get());
      if (built instanceof GitRemotes.MissingSecret missing) {
        checks.fail(path + "." + missing.field(), missing.reason());
        return;
      }
      remote = ((GitRemotes.Ready) built).remote();
    } else {
      remote = new GitRemote(source.url(), "", SshHostKey.normalise(source.hostKey()), "", "");
    }
    GitRemote asking = remote;
    RefResolution result =
        asked.computeIfAbsent(new RefQuestion(remote, ref), key -> resolver.resolve(asking, ref));
    String shownUrl = RemoteUrl.redact(source.url());
    switch (result.outcome()) {
      case RESOLVED ->
          pin.accept(
              result.commit(),
              !result.hostKey().isEmpty()
                  ? SshHostKey.normalise(result.hostKey())
                  : remote.hostKey());
      case NOT_FOUND ->
          checks.fail(
              path + ".ref",
              "ref "
                  + ProtoNodeReader.quote(ref)
                  + " not found in "
                  + shownUrl
                  + "; use a branch, a tag or a full commit id that the remote has");
      case UNREACHABLE -> unreachable(source, result, path, shownUrl);
    }
  }

  private void unreachable(
      GitRemotes.Source source, RefResolution result, String path, String shownUrl) {
    String reason = RemoteUrl.redact(result.reason());
    if (result.field().equals("host_key")) {
      String where = SshHostKey.hostPort(source.url()).orElse(shownUrl);
      if (!source.hostKey().isEmpty()) {
        checks.fail(
            path + ".host_key",
            "the SSH server at "
                + where
                + " is not the pinned one: "
                + reason
                + "; if its key was replaced on purpose, check the new one and pin it here");
      } else {
        checks.fail(
            path + ".url",
            "the host key of the SSH server at "
                + where
                + " changed: "
                + reason
                + " (trusted when it was first used); if its key was replaced on purpose, check"
                + " the new one and pin it in host_key");
      }
      return;
    }
    String field = result.field().isEmpty() ? "url" : result.field();
    checks.fail(path + "." + field, "cannot read refs from " + shownUrl + ": " + reason);
  }

  /** Where a resolved commit and the accepted host key (empty if none) are written. */
  private interface Pin {
    void accept(String commit, String hostKey);
  }

  /** What the resolver is asked: which commit {@code ref} names in {@code remote}. */
  private record RefQuestion(GitRemote remote, String ref) {}
}
