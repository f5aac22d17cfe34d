package io.pulley.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that hold keys: created with their final mode before a byte is written (never chmod after),
 * written whole by rename, in a directory only the owner can enter.
 */
public final class SecureFiles {
  private SecureFiles() {}

  /** Creates {@code dir} (and parents) as 0700, and tightens it if it exists more open. */
  public static void privateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  /** Writes {@code text} to {@code file} as 0600 (private) or 0644, replacing it atomically. */
  public static void write(Path file, String text, boolean secret) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    String mode = secret ? "rw-------" : "rw-r--r--";
    try {
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another process is writing " + file, e);
    }
    Files.writeString(temp, text, StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
