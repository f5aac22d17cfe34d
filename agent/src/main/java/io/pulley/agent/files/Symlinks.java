package io.pulley.agent.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Symbolic links switched by one rename(2), so that a reader (nginx connecting to a socket path, a
 * process opening ROOT/current) finds the old target or the new one, never none. Stateless;
 * concurrent switches of one link must be serialised by the caller.
 */
public final class Symlinks {

  private Symlinks() {}

  /** Where {@code link} points, or empty when it is missing or not a symlink. */
  public static Optional<Path> target(Path link) throws IOException {
    return Files.isSymbolicLink(link)
        ? Optional.of(Files.readSymbolicLink(link))
        : Optional.empty();
  }

  /**
   * Points {@code link} at {@code target}: a new link beside it renamed over it. A directory in the
   * way is refused, as replacing it would lose what it holds.
   */
  public static void replace(Path link, Path target) throws IOException {
    if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(link + " is a directory, not a symlink; move it away first");
    }
    Path temp = link.resolveSibling("." + link.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createSymbolicLink(temp, target);
    Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
  }
}
