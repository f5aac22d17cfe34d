package io.pulley.controller.manifest;

import io.pulley.v1.GitRelease;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.StackGit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pins every Git release of a manifest, and its stack's Git ref, to a commit, asking the resolver
 * once per distinct URL and ref. Not thread-safe: one per compilation.
 */
final class ReleaseResolver {

  private final GitRefResolver resolver;
  private final Checks checks;
  private final Map<RefQuestion, RefResolution> asked = new HashMap<>();

  ReleaseResolver(GitRefResolver resolver, Checks checks) {
    this.resolver = resolver;
    this.checks = checks;
  }

  void resolveAll(Manifest.Builder manifest) {
    List<Resource.Builder> resources = manifest.getResourcesBuilderList();
    for (int i = 0; i < resources.size(); i++) {
      if (resources.get(i).hasGitRelease()) {
        GitRelease.Builder release = resources.get(i).getGitReleaseBuilder();
        resolve(
            release.getUrl(),
            release.getRef(),
            release::setCommit,
            "resources[" + i + "].git_release");
      }
    }
    if (manifest.hasStack()) {
      StackGit.Builder git = manifest.getStackBuilder().getGitBuilder();
      resolve(git.getUrl(), git.getRef(), git::setCommit, "stack.git");
    }
  }

  private void resolve(String url, String ref, Consumer<String> pin, String path) {
    RefResolution result =
        asked.computeIfAbsent(new RefQuestion(url, ref), key -> resolver.resolve(url, ref));
    String shownUrl = RemoteUrl.redact(url);
    switch (result.outcome()) {
      case RESOLVED -> pin.accept(result.commit());
      case NOT_FOUND ->
          checks.fail(
              path + ".ref",
              "ref "
                  + ProtoNodeReader.quote(ref)
                  + " not found in "
                  + shownUrl
                  + "; use a branch, a tag or a full commit id that the remote has");
      case UNREACHABLE ->
          checks.fail(
              path + ".url",
              "cannot read refs from " + shownUrl + ": " + RemoteUrl.redact(result.reason()));
    }
  }

  /** What the resolver is asked: which commit {@code ref} names in the remote at {@code url}. */
  private record RefQuestion(String url, String ref) {}
}
