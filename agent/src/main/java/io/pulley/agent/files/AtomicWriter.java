package io.pulley.agent.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file's content so that readers see either the old or the new content, never a mix,
 * even across a crash: temp file beside the target, fsync, rename, fsync of the directory. The file
 * is written owner-only (0600) unless the preparer sets another mode. Stateless and thread-safe;
 * concurrent writers of one target must be serialised by the caller.
 */
public final class AtomicWriter {

  /** Prepares the temp file (mode, owner) before it replaces the target. */
  @FunctionalInterface
  public interface Preparer {
    void prepare(Path temp) throws IOException;
  }

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private static final String TEMP_SUFFIX = ".tmp";

  private AtomicWriter() {}

  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, temp -> {});
  }

  public static void write(Path target, byte[] content, Preparer preparer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    String prefix = "." + target.getFileName() + ".";
    removeLeftovers(dir, prefix);
    // Temp file beside the target: rename(2) is atomic only within one filesystem.
    // Owner-only from its creation: the content (maybe a secret) is never readable by others, even
    // for the moment before the preparer sets the final mode.
    Path temp = Files.createTempFile(dir, prefix, TEMP_SUFFIX, OWNER_ONLY);
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      preparer.prepare(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      // A write's failure ("No space left on device") names no file; the admin needs it.
      FileSystemException named = new FileSystemException(target.toString(), null, e.getMessage());
      named.initCause(e);
      throw named;
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /**
   * Removes the temp files of earlier writes of the same target that a kill left between their
   * creation and their rename: one writer per target, so any found now is dead.
   */
  private static void removeLeftovers(Path dir, String prefix) throws IOException {
    try (DirectoryStream<Path> stale =
        Files.newDirectoryStream(
            dir,
            p -> {
              String name = p.getFileName().toString();
              // Exactly what createTempFile makes for this target: prefix, digits, suffix; the
              // temp file of a target whose name merely starts the same ("a.b" for "a") is not.
              return name.startsWith(prefix)
                  && name.endsWith(TEMP_SUFFIX)
                  && name.length() > prefix.length() + TEMP_SUFFIX.length()
                  && name.substring(prefix.length(), name.length() - TEMP_SUFFIX.length())
                      .chars()
                      .allMatch(Character::isDigit)
                  && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            })) {
      for (Path leftover : stale) {
        Files.deleteIfExists(leftover);
      }
    }
  }

  /** Makes a rename in {@code dir} durable; best effort where directories cannot be opened. */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every filesystem lets a directory be fsynced; the rename itself is still atomic.
    }
  }
}
