package io.pulley.agent.apply.fs;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What the fs executors converged last time, one small root-only file per resource under the
 * application's state dir, so that a later apply can tell drift (reality changed behind the agent's
 * back) from a changed declaration. Not thread-safe; one apply at a time.
 */
final class StateMemory {
  private static final String OWNER_ONLY_DIR = "rwx------";
  private static final String OWNER_ONLY_FILE = "rw-------";

  private final Path dir;

  /** Keeps its files in {@code stateDir}/fs. */
  StateMemory(Path stateDir) {
    this.dir = stateDir.resolve("fs");
  }

  /** What was remembered for {@code key}, if anything. */
  Optional<String> recall(String key) throws IOException {
    Path file = dir.resolve(sha256(key));
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    // The key is stored beside the value so that a hash collision can never mix two resources.
    int newline = text.indexOf('\n');
    if (newline < 0 || !text.substring(0, newline).equals(key)) {
      return Optional.empty();
    }
    return Optional.of(text.substring(newline + 1));
  }

  /** Remembers {@code value} for {@code key}; writes nothing if it is already remembered. */
  void remember(String key, String value) throws IOException {
    if (recall(key).filter(value::equals).isPresent()) {
      return;
    }
    createOwnerOnly(dir);
    AtomicWriter.write(
        dir.resolve(sha256(key)),
        (key + "\n" + value).getBytes(StandardCharsets.UTF_8),
        temp ->
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(OWNER_ONLY_FILE)));
  }

  /** Creates {@code path} and its missing parents with mode 0700: they may name secrets' files. */
  private static void createOwnerOnly(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return;
    }
    Path parent = path.getParent();
    if (parent != null) {
      createOwnerOnly(parent);
    }
    Files.createDirectory(
        path,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY_DIR)));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(OWNER_ONLY_DIR));
  }

  static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
