package io.pulley.agent.apply.handover;

import io.pulley.agent.files.Symlinks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The release root's {@code current} link, through which static files are served and the reload
 * mode's one instance finds its code. Moved by one rename, so readers see the old release or the
 * new one. One handover at a time.
 */
final class CurrentLink {
  private final Path link;

  /**
   * @param root the release root, holding releases/ and current
   */
  CurrentLink(Path root) {
    this.link = root.resolve("current");
  }

  /** Where the link points, as written (relative), or empty if there is no link. */
  Optional<Path> target() throws IOException {
    return Symlinks.target(link);
  }

  /** Whether the link leads to the release directory {@code release}. */
  boolean leadsTo(Path release) throws IOException {
    return target()
        .map(t -> link.resolveSibling(t).normalize())
        .filter(release::equals)
        .isPresent();
  }

  /** Points the link at releases/{@code commit}. */
  void pointAt(String commit) throws IOException {
    Symlinks.replace(link, Path.of("releases", commit));
  }

  /** Points the link back at {@code previous} if it points elsewhere; true if it had moved. */
  boolean restore(Optional<Path> previous) throws IOException {
    if (previous.isEmpty() || previous.equals(target())) {
      return false;
    }
    Symlinks.replace(link, previous.get());
    return true;
  }
}
