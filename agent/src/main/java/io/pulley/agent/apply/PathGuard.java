package io.pulley.agent.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps every write inside the allowed roots; every executor asks it about each path it writes,
 * creates, deletes, chmods, chowns or links. A path passes when it is absolute, normalised, and
 * resolved component by component it never follows a symlink from inside a root to a place outside
 * the roots, and ends inside a root. A symlink whose target stays inside the roots (ROOT/current
 * pointing at a release) is followed. Immutable and thread-safe.
 *
 * <p>The check and the write are two system calls apart: this guards against a manifest or a
 * mistake, not against a local user who can replace directories inside the roots concurrently.
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
    List<Path> realRoots = new ArrayList<>();
    for (Path root : roots) {
      realRoots.add(new Walk().resolve(root));
    }
    Walk walk = new Walk();
    Path real = walk.resolve(p);
    for (Link link : walk.followed) {
      if (inside(link.path(), realRoots) && !inside(link.target(), realRoots)) {
        return Optional.of(
            "path "
                + path
                + " leads out of the allowed roots: "
                + link.path()
                + " is a symlink to "
                + link.target());
      }
    }
    return inside(real, realRoots)
        ? Optional.empty()
        : Optional.of("path " + path + " is outside the allowed roots " + roots);
  }

  /**
   * Empty if each of {@code paths} may be written, else the first reason one may not: for the paths
   * an executor derives from one it checked (ROOT/releases/COMMIT below ROOT).
   */
  public Optional<String> check(Path... paths) throws IOException {
    for (Path path : paths) {
      Optional<String> refused = check(path.toString());
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  private static boolean inside(Path path, List<Path> realRoots) {
    return realRoots.stream().anyMatch(path::startsWith);
  }

  /** A symlink met on the way and the real path it resolved to. */
  private record Link(Path path, Path target) {}

  /** Resolves a path one component at a time, recording each symlink it follows. */
  private static final class Walk {
    private final List<Link> followed = new ArrayList<>();

    Path resolve(Path path) throws IOException {
      return resolve(path.getRoot(), path, 0);
    }

    /** {@code base} is real (no symlink in it); what is missing is appended as it is. */
    private Path resolve(Path base, Path names, int depth) throws IOException {
      if (depth > MAX_LINKS) {
        throw new IOException("too many levels of symbolic links at " + names);
      }
      Path real = base;
      for (Path name : names) {
        String n = name.toString();
        if (n.equals(".")) {
          continue;
        }
        if (n.equals("..")) {
          real = real.getParent() == null ? real : real.getParent();
          continue;
        }
        Path next = real.resolve(name);
        if (Files.isSymbolicLink(next)) {
          Path target = Files.readSymbolicLink(next);
          Path resolved =
              target.isAbsolute()
                  ? resolve(target.getRoot(), target, depth + 1)
                  : resolve(real, target, depth + 1);
          followed.add(new Link(next, resolved));
          real = resolved;
        } else {
          real = next;
        }
      }
      return real;
    }
  }
}
