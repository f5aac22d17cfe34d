package io.pulley.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What an admin hands a new host or admin: {@code pulley1:PIN:ID.SECRET}. The pin is the controller
 * CA's fingerprint, so the first connection trusts nobody else; the id is public (it names the
 * token in lists and the audit trail); the secret is 160 random bits, of which the controller keeps
 * only a hash.
 */
public record BootstrapToken(CaPin pin, String id, String secret) {
  private static final String PREFIX = "pulley1:";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int ID_LENGTH = 8;
  private static final int SECRET_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  public BootstrapToken {
    if (!isToken(id, ID_LENGTH) || !isToken(secret, SECRET_LENGTH)) {
      throw new TrustException("malformed token");
    }
  }

  /** A fresh token for the CA with {@code pin}. */
  public static BootstrapToken create(CaPin pin) {
    return new BootstrapToken(pin, random(ID_LENGTH), random(SECRET_LENGTH));
  }

  /** Reads a whole token; the message never repeats the input (it may be a real secret). */
  public static BootstrapToken parse(String text) {
    String trimmed = text.strip();
    if (!trimmed.startsWith(PREFIX)) {
      throw new TrustException("not a Pulley token (it starts with " + PREFIX + ")");
    }
    String rest = trimmed.substring(PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon < 0 || rest.indexOf(':', colon + 1) >= 0) {
      throw new TrustException("malformed token: expected pulley1:PIN:ID.SECRET");
    }
    CaPin pin = CaPin.parse(rest.substring(0, colon));
    SecretPart secretPart = SecretPart.parse(rest.substring(colon + 1));
    return new BootstrapToken(pin, secretPart.id(), secretPart.secret());
  }

  /** What the agent sends in EnrolRequest.token: the token without its pin. */
  public String secretPart() {
    return id + "." + secret;
  }

  /** The whole token, to print once. */
  public String text() {
    return PREFIX + pin.hex() + ":" + secretPart();
  }

  /** The hash the controller stores instead of the secret. */
  public static String hash(String secret) {
    return HexFormat.of()
        .formatHex(Fingerprints.sha256(secret.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Whether {@code secret} hashes to {@code storedHash}, in time independent of where they differ.
   */
  public static boolean secretMatches(String secret, String storedHash) {
    return MessageDigest.isEqual(
        hash(secret).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "token " + id; // never the secret
  }

  /** The "ID.SECRET" part sent to the controller. */
  public record SecretPart(String id, String secret) {
    public static SecretPart parse(String text) {
      int dot = text.indexOf('.');
      if (dot < 0
          || !isToken(text.substring(0, dot), ID_LENGTH)
          || !isToken(text.substring(dot + 1), SECRET_LENGTH)) {
        throw new TrustException("malformed token: expected ID.SECRET");
      }
      return new SecretPart(text.substring(0, dot), text.substring(dot + 1));
    }

    @Override
    public String toString() {
      return "token " + id;
    }
  }

  private static String random(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  private static boolean isToken(String text, int length) {
    if (text.length() != length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
