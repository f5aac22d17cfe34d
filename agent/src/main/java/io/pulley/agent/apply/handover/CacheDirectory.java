package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * nginx's cache directory of a site, kept to the live release's responses: emptied once for each
 * release that goes live. Which release it was last emptied for is remembered in the application's
 * state directory (root-only), not in the cache directory, where nginx deletes files it does not
 * know and www-data writes. The record is written after the directory is emptied, so a crash in
 * between empties it again at the next apply (deleting, at worst, responses of the live release);
 * and an apply of the same release finds the record and deletes nothing. Symbolic links in it are
 * deleted, never followed. Not thread-safe: one apply at a time.
 */
final class CacheDirectory {
  private final Path dir;
  private final Path record;

  /**
   * @param dir the cache directory, checked against the allowed roots by the caller
   * @param stateDir the application's state directory
   * @param webUnit the web template unit, which names the record (one site per unit)
   */
  CacheDirectory(Path dir, Path stateDir, String webUnit) {
    this.dir = dir;
    this.record = stateDir.resolve("cache-emptied").resolve(webUnit);
  }

  /**
   * Empties the directory for {@code commit} unless it was already emptied for it: the number of
   * files deleted, or empty when there was nothing to do. The directory itself stays, with its
   * owner and mode.
   */
  OptionalLong emptyFor(String commit) throws IOException, StepFailed {
    if (emptiedFor(commit)) {
      return OptionalLong.empty();
    }
    long files = 0;
    if (Files.isSymbolicLink(dir)) {
      throw new StepFailed("cache_dir " + dir + " is a symbolic link; it is not emptied", "");
    }
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      files = deleteContents();
    } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new StepFailed("cache_dir " + dir + " is not a directory", "");
    }
    remember(commit);
    return OptionalLong.of(files);
  }

  private boolean emptiedFor(String commit) throws IOException {
    if (!Files.isRegularFile(record)) {
      return false;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return dir.toString().equals(p.getProperty("dir")) && commit.equals(p.getProperty("commit"));
  }

  private void remember(String commit) throws IOException {
    Properties p = new Properties();
    p.setProperty("dir", dir.toString());
    p.setProperty("commit", commit);
    StringWriter text = new StringWriter();
    p.store(text, null);
    Files.createDirectories(
        record.getParent(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    AtomicWriter.write(record, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletes what is in the directory, counting the files. nginx's workers keep writing while this
   * runs (the live release's responses): what vanishes first is skipped, and a directory that a new
   * response landed in stays with it.
   */
  private long deleteContents() throws IOException {
    long[] files = {0};
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            try {
              Files.delete(file);
              files[0]++;
            } catch (NoSuchFileException gone) {
              // nginx's cache manager removed it first.
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            if (!d.equals(dir)) {
              try {
                Files.delete(d);
              } catch (NoSuchFileException | DirectoryNotEmptyException kept) {
                // Gone already, or it holds a response written since: the live release's.
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return files[0];
  }
}
