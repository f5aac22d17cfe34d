package io.pulley.agent.apply.git;

import io.pulley.agent.files.Trees;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * What an agent killed during a fetch can leave in a repository cache, put right before the cache
 * is used again. Git (JGit or the git program) changes a ref, packed-refs or the config by creating
 * NAME.lock beside it and renaming it into place; a kill between the two leaves the lock, and every
 * later fetch then fails with "lock failure" or "File exists", for good. Only the agent uses its
 * caches, one apply at a time under its data dir lock, so a lock found before a fetch is stale.
 * Objects need nothing: packs and loose objects are written under temporary names and renamed, and
 * a pack without its index is ignored. A cache killed while it was being created (no HEAD or config
 * yet) is made again: it is a cache, and the next fetch fills it. Stateless.
 */
final class CacheRepair {
  private CacheRepair() {}

  /** Removes stale lock files from {@code gitDir}, outside its objects; returns those removed. */
  static List<Path> removeStaleLocks(Path gitDir) throws IOException {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(gitDir)) {
      return removed;
    }
    Files.walkFileTree(
        gitDir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.equals(gitDir.resolve("objects"))
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".lock")) {
              Files.delete(file);
              removed.add(gitDir.relativize(file));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return removed;
  }

  /**
   * Whether {@code gitDir} holds a repository Git can open; if it holds only part of one (its
   * creation was cut short), it is deleted so that it is made again.
   */
  static boolean usableOrRemoved(Path gitDir) throws IOException {
    if (!Files.exists(gitDir)) {
      return false;
    }
    FileRepositoryBuilder builder = new FileRepositoryBuilder().setGitDir(gitDir.toFile());
    boolean complete =
        Files.isDirectory(gitDir.resolve("objects"))
            && Files.isRegularFile(gitDir.resolve("HEAD"))
            && Files.isRegularFile(gitDir.resolve("config"));
    if (complete) {
      try (Repository repo = builder.setMustExist(true).build()) {
        repo.getConfig(); // read: a config cut short would not parse
        return true;
      } catch (IOException | IllegalArgumentException e) {
        // falls through: not a repository Git can use
      }
    }
    Trees.delete(gitDir);
    return false;
  }
}
