package io.pulley.agent.apply.git;

import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.files.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The links a release gets before it is complete, such as "instance" to ROOT/shared/instance: the
 * directories the application writes, kept outside the release so they outlive it. Made inside the
 * release's temporary directory, so a release exists with all its links or not at all. Stateless.
 */
final class ReleaseLinks {
  private ReleaseLinks() {}

  /**
   * Why {@code links} cannot be made, or empty: names must stay in the release, targets allowed.
   */
  static Optional<String> problem(Map<String, String> links, PathGuard guard) throws IOException {
    for (Map.Entry<String, String> link : links.entrySet()) {
      String name = link.getKey();
      Path relative = Path.of(name);
      if (name.isEmpty()
          || relative.isAbsolute()
          || !relative.normalize().toString().equals(name)
          || name.startsWith("..")
          || name.equals(".git")
          || name.startsWith(".git/")) {
        return Optional.of("link " + name + " is not a normalised path inside the release");
      }
      Optional<String> target = guard.check(link.getValue());
      if (target.isPresent()) {
        return Optional.of("link " + name + ": " + target.get());
      }
    }
    return Optional.empty();
  }

  /**
   * Makes each link in {@code release}, replacing what the commit has at its path. A commit whose
   * tree puts a symbolic link on the way to a link's path is refused: following it could write
   * outside the release.
   */
  static Optional<String> make(Path release, Map<String, String> links) throws IOException {
    for (Map.Entry<String, String> link : links.entrySet()) {
      Path at = release.resolve(link.getKey());
      for (Path parent = at.getParent(); !parent.equals(release); parent = parent.getParent()) {
        if (Files.isSymbolicLink(parent)) {
          return Optional.of(
              "cannot link "
                  + link.getKey()
                  + ": "
                  + release.relativize(parent)
                  + " is a symbolic link in the commit");
        }
      }
      if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
        Trees.delete(at);
      }
      Files.createDirectories(at.getParent());
      Files.createSymbolicLink(at, Path.of(link.getValue()));
    }
    return Optional.empty();
  }
}
