package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret values for the store with AES-256-GCM: a random 96-bit nonce per value, and the
 * secret's application, environment and name as associated data, so a sealed value copied into
 * another row does not open. Sealed form: a format byte, the nonce, the ciphertext with its tag.
 * Thread-safe.
 */
final class SecretCipher {
  static final int KEY_BYTES = 32;
  private static final byte FORMAT = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKey key;
  private final SecureRandom random;

  SecretCipher(byte[] key, SecureRandom random) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a secrets key has " + KEY_BYTES + " bytes, got " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
    this.random = random;
  }

  byte[] seal(AppEnv app, String name, String value) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed =
        run(Cipher.ENCRYPT_MODE, nonce, app, name, value.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
        .put(FORMAT)
        .put(nonce)
        .put(sealed)
        .array();
  }

  /**
   * @throws StoreException naming the secret if {@code sealed} was not sealed for this row with
   *     this key
   */
  String open(AppEnv app, String name, byte[] sealed) {
    if (sealed.length < 1 + NONCE_BYTES || sealed[0] != FORMAT) {
      throw new StoreException("secret " + name + " of " + app + " is not in a known sealed form");
    }
    ByteBuffer in = ByteBuffer.wrap(sealed, 1, sealed.length - 1);
    byte[] nonce = new byte[NONCE_BYTES];
    in.get(nonce);
    byte[] body = new byte[in.remaining()];
    in.get(body);
    return new String(run(Cipher.DECRYPT_MODE, nonce, app, name, body), StandardCharsets.UTF_8);
  }

  private byte[] run(int mode, byte[] nonce, AppEnv app, String name, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(app, name));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // The value is never in the message: only which secret, and the likely cause.
      throw new StoreException(
          "secret " + name + " of " + app + " does not open with this secrets key (wrong key?)", e);
    }
  }

  /** Length-prefixed, so no choice of names makes two rows' data equal. */
  private static byte[] associatedData(AppEnv app, String name) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF("pulley.v1.secret");
      out.writeUTF(app.application());
      out.writeUTF(app.environment());
      out.writeUTF(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
