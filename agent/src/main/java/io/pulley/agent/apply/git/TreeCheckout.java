package io.pulley.agent.apply.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes a commit's tree into an empty directory: regular files (0644, or 0755 with the exec bit),
 * symlinks, and empty directories for submodules. Stateless and thread-safe.
 */
final class TreeCheckout {
  /** A submodule entry: its path in the tree and the commit it is pinned to. */
  record Gitlink(String path, ObjectId commit) {}

  private TreeCheckout() {}

  /** Writes the tree and returns its submodule entries, left as empty directories. */
  static List<Gitlink> write(Repository repo, RevCommit commit, Path into) throws IOException {
    List<Gitlink> links = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(repo);
        ObjectReader reader = repo.newObjectReader()) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        Path target = into.resolve(walk.getPathString()).normalize();
        // A crafted tree must not write outside the release directory.
        if (!target.startsWith(into) || target.equals(into)) {
          throw new IOException("tree entry '" + walk.getPathString() + "' escapes the release");
        }
        Files.createDirectories(target.getParent());
        FileMode mode = walk.getFileMode(0);
        if (mode == FileMode.SYMLINK) {
          String link =
              new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
          Files.createSymbolicLink(target, Path.of(link));
        } else if (mode == FileMode.GITLINK) {
          Files.createDirectories(target);
          links.add(new Gitlink(walk.getPathString(), walk.getObjectId(0)));
        } else {
          try (OutputStream out =
              Files.newOutputStream(
                  target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            reader.open(walk.getObjectId(0)).copyTo(out);
          }
          String perms = mode == FileMode.EXECUTABLE_FILE ? "rwxr-xr-x" : "rw-r--r--";
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(perms));
        }
      }
    }
    return links;
  }
}
