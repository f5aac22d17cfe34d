package io.pulley.controller.tracking;

import io.pulley.controller.store.Release;
import io.pulley.v1.Revision;
import io.pulley.v1.StackGit;
import io.pulley.v1.Tracking;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether what a remote advertises now calls for a new revision of a tracked application, and which
 * ref and commit it is. Tags only move forward in version order, or to the same tag moved to
 * another commit (deleted and pushed again); a tag deleted for good leaves the release as it is. A
 * branch moves to every new head, force-pushed or not. A (ref, commit) quarantined after a failure
 * is never chosen again.
 */
public final class TrackDecision {
  /** What to deploy: a tag or branch name, its commit, and why, in words. */
  public record Target(String ref, String commit, String why) {}

  private static final String TAGS = "refs/tags/";
  private static final String HEADS = "refs/heads/";

  private TrackDecision() {}

  /**
   * @param current the application's current revision, whose stack.git says what is deployed
   * @param refs every ref of the remote by full name, with peeled commits
   * @param quarantined the releases not to deploy
   */
  public static Optional<Target> next(
      Tracking track, Revision current, Map<String, String> refs, Set<Release> quarantined) {
    StackGit git = current.getManifest().getStack().getGit();
    if (!track.getBranch().isEmpty()) {
      String head = refs.get(HEADS + track.getBranch());
      if (head == null
          || head.equals(git.getCommit())
          || quarantined.contains(new Release(track.getBranch(), head))) {
        return Optional.empty();
      }
      return Optional.of(
          new Target(
              track.getBranch(),
              head,
              "branch " + track.getBranch() + " moved to " + head.substring(0, 12)));
    }
    TagRule rule = new TagRule(track.getTags(), track.getPrereleases());
    Map<String, String> tags = new HashMap<>();
    refs.forEach(
        (name, commit) -> {
          if (name.startsWith(TAGS)) {
            tags.put(name.substring(TAGS.length()), commit);
          }
        });
    Set<TagRule.Quarantined> held =
        quarantined.stream()
            .map(q -> new TagRule.Quarantined(q.ref(), q.commit()))
            .collect(Collectors.toSet());
    Optional<TagRule.Candidate> newest = rule.newest(tags, held);
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    TagRule.Candidate candidate = newest.get();
    String deployedTag = git.getRef();
    if (candidate.tag().equals(deployedTag)) {
      return candidate.commit().equals(git.getCommit())
          ? Optional.empty()
          : Optional.of(
              new Target(
                  candidate.tag(),
                  candidate.commit(),
                  "tag " + candidate.tag() + " moved to " + candidate.commit().substring(0, 12)));
    }
    Optional<SemanticVersion> deployed =
        rule.matches(deployedTag) ? SemanticVersion.fromTag(deployedTag) : Optional.empty();
    if (deployed.isPresent() && candidate.version().compareTo(deployed.get()) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Target(
            candidate.tag(),
            candidate.commit(),
            "tag " + candidate.tag() + " at " + candidate.commit().substring(0, 12)));
  }
}
