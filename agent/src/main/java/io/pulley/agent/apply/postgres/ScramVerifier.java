package io.pulley.agent.apply.postgres;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM-SHA-256 password verifier as PostgreSQL stores it in pg_authid (RFC 5802 and 7677):
 * {@code SCRAM-SHA-256$ITERATIONS:SALT$STOREDKEY:SERVERKEY}. Sending this instead of the password
 * keeps the password out of SQL text, server logs and pg_stat_activity. Immutable and thread-safe.
 */
final class ScramVerifier {
  static final int ITERATIONS = 4096;
  static final int SALT_BYTES = 16;
  private static final Pattern FORMAT =
      Pattern.compile(
          "SCRAM-SHA-256\\$(\\d{1,9}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");

  private final int iterations;
  private final byte[] salt;
  private final byte[] storedKey;
  private final byte[] serverKey;

  private ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    this.iterations = iterations;
    this.salt = salt;
    this.storedKey = storedKey;
    this.serverKey = serverKey;
  }

  /** A verifier for {@code password} with a fresh 16-byte salt from {@code random}. */
  static ScramVerifier generate(String password, Random random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return derive(password, salt, ITERATIONS);
  }

  static ScramVerifier derive(String password, byte[] salt, int iterations) {
    if (iterations <= 0) {
      throw new IllegalArgumentException("iterations must be positive, got " + iterations);
    }
    try {
      byte[] salted = saltedPassword(prepare(password), salt, iterations);
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] stored = MessageDigest.getInstance("SHA-256").digest(clientKey);
      return new ScramVerifier(iterations, salt.clone(), stored, hmac(salted, "Server Key"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA256 and HmacSHA256", e);
    }
  }

  /** The verifier in {@code text}, or empty if it is no SCRAM-SHA-256 verifier (md5, null). */
  static Optional<ScramVerifier> parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      return Optional.of(
          new ScramVerifier(
              Integer.parseInt(m.group(1)),
              b64.decode(m.group(2)),
              b64.decode(m.group(3)),
              b64.decode(m.group(4))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code password} derives this verifier under its own salt and iteration count. */
  boolean matches(String password) {
    if (iterations <= 0) {
      return false;
    }
    ScramVerifier derived = derive(password, salt, iterations);
    return MessageDigest.isEqual(storedKey, derived.storedKey)
        && MessageDigest.isEqual(serverKey, derived.serverKey);
  }

  /** The pg_authid form. */
  String text() {
    Base64.Encoder b64 = Base64.getEncoder();
    return "SCRAM-SHA-256$"
        + iterations
        + ":"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(storedKey)
        + ":"
        + b64.encodeToString(serverKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScramVerifier v && text().equals(v.text());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(storedKey);
  }

  /** Never the keys: a verifier lets whoever holds it pose as the server. */
  @Override
  public String toString() {
    return "ScramVerifier[iterations=" + iterations + "]";
  }

  /**
   * PostgreSQL runs SASLprep on the password. For the ASCII passwords Pulley generates that is the
   * identity; for others NFKC normalisation, SASLprep's main step, is the close approximation.
   */
  private static byte[] prepare(String password) {
    boolean ascii = password.chars().allMatch(c -> c < 128);
    String prepared = ascii ? password : Normalizer.normalize(password, Normalizer.Form.NFKC);
    return prepared.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] saltedPassword(byte[] password, byte[] salt, int iterations)
      throws GeneralSecurityException {
    // PBEKeySpec takes chars; PBKDF2WithHmacSHA256 encodes them as UTF-8, so decode UTF-8 first.
    char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
  }
}
