package io.pulley.agent.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps every write inside the allowed roots. A path passes when it is absolute, normalised, and
 * still inside a root after the symlinks of its existing ancestors are resolved, so a symlink
 * cannot lead a write out of the roots. Immutable and thread-safe.
 */
public final class PathGuard {
  private static final int MAX_LINKS = 40;
  private final List<Path> roots;

  public PathGuard(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /** Empty if {@code path} may be written, else the reason it may not. */
  public Optional<String> check(String path) throws IOException {
    if (path.isEmpty()) {
      return Optional.of("path is empty");
    }
    Path p = Path.of(path);
    if (!p.isAbsolute()) {
      return Optional.of("path " + path + " is not absolute");
    }
    if (!p.normalize().toString().equals(path)) {
      return Optional.of("path " + path + " is not normalised");
    }
    Path real = resolveExisting(p);
    for (Path root : roots) {
      if (real.startsWith(resolveExisting(root))) {
        return Optional.empty();
      }
    }
    return Optional.of("path " + path + " is outside the allowed roots " + roots);
  }

  /** The real path of the longest existing ancestor, with the missing rest appended. */
  private static Path resolveExisting(Path path) throws IOException {
    return resolveExisting(path, 0);
  }

  private static Path resolveExisting(Path path, int depth) throws IOException {
    if (depth > MAX_LINKS) {
      throw new IOException("too many levels of symbolic links at " + path);
    }
    Path existing = path;
    List<Path> missing = new ArrayList<>();
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      missing.add(0, existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    Path real = Files.exists(existing) ? existing.toRealPath() : danglingTarget(existing, depth);
    for (Path name : missing) {
      real = real.resolve(name);
    }
    return real;
  }

  /** A dangling symlink resolves to where it points, which may not exist yet. */
  private static Path danglingTarget(Path link, int depth) throws IOException {
    Path target = Files.readSymbolicLink(link);
    return resolveExisting(link.resolveSibling(target).normalize(), depth + 1);
  }
}
