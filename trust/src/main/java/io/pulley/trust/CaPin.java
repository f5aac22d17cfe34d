package io.pulley.trust;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The SHA-256 of the controller CA's public key: what a bootstrap token carries so that an agent's
 * first contact trusts only the real controller (as {@code kubeadm join
 * --discovery-token-ca-cert-hash} does).
 */
public record CaPin(String hex) {
  private static final int HEX_LENGTH = 64;

  public CaPin {
    if (hex.length() != HEX_LENGTH || !isLowerHex(hex)) {
      throw new TrustException("a CA pin is sha256: and 64 lower-case hex digits");
    }
  }

  public static CaPin of(X509Certificate ca) {
    return new CaPin(HexFormat.of().formatHex(Fingerprints.sha256(ca.getPublicKey().getEncoded())));
  }

  /** Reads "sha256:HEX" (or the bare hex). */
  public static CaPin parse(String text) {
    String hex = text.startsWith(Fingerprints.PREFIX) ? text.substring(7) : text;
    if (hex.length() != HEX_LENGTH || !isLowerHex(hex)) {
      throw new TrustException("a CA pin is sha256: and 64 lower-case hex digits");
    }
    return new CaPin(hex);
  }

  public boolean matches(X509Certificate certificate) {
    return MessageDigest.isEqual(
        HexFormat.of().parseHex(hex), Fingerprints.sha256(certificate.getPublicKey().getEncoded()));
  }

  static boolean isLowerHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return Fingerprints.PREFIX + hex;
  }
}
