package io.pulley.agent.apply.git;

import io.pulley.agent.files.Symlinks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Points ROOT/current at ROOT/releases/COMMIT, records the switch and prunes old releases; shared
 * by {@link GitReleaseExecutor} (all in one) and {@link ReleaseLinkExecutor}. {@code current} is a
 * relative symlink replaced by one atomic rename. Stateless; one apply at a time per root.
 */
final class ReleaseLinker {
  static final int DEFAULT_KEEP = 5;

  /** What linking changed, and what was found changed behind the agent's back (or empty). */
  record Result(List<String> changes, String drift) {}

  private ReleaseLinker() {}

  /** The switch order, kept beside the repository cache. */
  static ReleaseHistory switches(Path root) {
    return new ReleaseHistory(root.resolve(".pulley/releases.log"));
  }

  /** The checkout order: the newest entry may be a release prepared but not yet switched to. */
  static ReleaseHistory checkouts(Path root) {
    return new ReleaseHistory(root.resolve(".pulley/checkouts.log"));
  }

  /**
   * Where a release of {@code commit} writes below {@code root}, for the guard: a symlinked
   * releases or .pulley directory must not take a release, its cache or a prune out of the roots.
   * ROOT/current itself is replaced, never followed, so only its directory counts.
   */
  static Path[] writtenPaths(Path root, String commit) {
    return new Path[] {
      root.resolve(".pulley/repo.git"), root.resolve("releases").resolve(commit), root
    };
  }

  /** Links {@code commit}, whose release directory must exist, and prunes beyond {@code keep}. */
  static Result link(Path root, String commit, int keep) throws IOException {
    Files.createDirectories(root.resolve(".pulley"));
    ReleaseHistory switches = switches(root);
    Path target = Path.of("releases", commit);
    Path current = root.resolve("current");
    Path found = currentTarget(current);
    List<String> changes = new ArrayList<>();
    String drift = "";
    if (!target.equals(found)) {
      Optional<String> linked = switches.newest();
      if (linked.isPresent() && !Path.of("releases", linked.get()).equals(found)) {
        drift =
            found == null
                ? "current was removed outside Pulley"
                : "current pointed at "
                    + found
                    + " instead of releases/"
                    + abbreviate(linked.get());
      }
      switchCurrent(root, target);
      changes.add("current → " + abbreviate(commit));
    }
    switches.append(commit);
    ReleaseHistory checkouts = checkouts(root);
    Set<String> protect = new HashSet<>();
    protect.add(commit);
    checkouts.newest().ifPresent(protect::add);
    int pruned =
        Pruner.prune(
            root.resolve("releases"),
            switches,
            checkouts,
            protect,
            keep == 0 ? DEFAULT_KEEP : keep);
    if (pruned > 0) {
      changes.add("pruned " + pruned + " old release" + (pruned == 1 ? "" : "s"));
    }
    return new Result(changes, drift);
  }

  private static Path currentTarget(Path current) throws IOException {
    return Symlinks.target(current).orElse(null);
  }

  /** A relative link renamed over the old one: readers see the old or the new, never none. */
  private static void switchCurrent(Path root, Path target) throws IOException {
    Symlinks.replace(root.resolve("current"), target);
  }

  static String abbreviate(String commit) {
    return commit.substring(0, 12);
  }
}
