package io.pulley.controller.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 32-byte key that seals the store's secrets, in a file of its own: a copy of pulley.db alone
 * reveals no secret. Created owner-only (directory 0700, file 0600) from the first byte, whatever
 * the umask. Stateless.
 */
final class SecretsKeyFile {
  private static final Logger log = LoggerFactory.getLogger(SecretsKeyFile.class);

  private SecretsKeyFile() {}

  /**
   * The key in {@code file}, made anew only while the store holds no sealed secret: a new key could
   * not open the old secrets, so a lost key is an error to fix, not something to paper over.
   */
  static byte[] load(Path file, int sealedSecrets) {
    Optional<byte[]> key = read(file);
    if (key.isPresent()) {
      return key.get();
    }
    if (sealedSecrets > 0) {
      throw new StoreException(
          "secrets key "
              + file
              + " is missing but the store holds "
              + sealedSecrets
              + " secrets sealed with it; restore the key file (or give its place with"
              + " --secrets-key)");
    }
    log.info("creating secrets key {}", file);
    return create(file, new SecureRandom());
  }

  /** The key in {@code file}, or empty if there is no such file. */
  static Optional<byte[]> read(Path file) {
    byte[] key;
    try {
      key = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException("cannot read secrets key " + file + ": " + e.getMessage(), e);
    }
    if (key.length != SecretCipher.KEY_BYTES) {
      throw new StoreException(
          "secrets key "
              + file
              + " must hold "
              + SecretCipher.KEY_BYTES
              + " bytes, it holds "
              + key.length);
    }
    return Optional.of(key);
  }

  /** Writes a new random key to {@code file}, which must not exist, and returns it. */
  static byte[] create(Path file, SecureRandom random) {
    byte[] key = new byte[SecretCipher.KEY_BYTES];
    random.nextBytes(key);
    Path dir = file.toAbsolutePath().getParent();
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      try (FileChannel out =
          FileChannel.open(
              file,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        out.write(ByteBuffer.wrap(key));
        out.force(true);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create secrets key " + file + ": " + e.getMessage(), e);
    }
    return key;
  }
}
