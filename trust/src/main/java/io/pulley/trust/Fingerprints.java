package io.pulley.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/** SHA-256 of a public key's encoded form (its SubjectPublicKeyInfo), as "sha256:HEX". */
public final class Fingerprints {
  public static final String PREFIX = "sha256:";

  private Fingerprints() {}

  public static String of(PublicKey key) {
    return PREFIX + HexFormat.of().formatHex(sha256(key.getEncoded()));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
