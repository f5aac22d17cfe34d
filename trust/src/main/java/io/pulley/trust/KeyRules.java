package io.pulley.trust;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/** The public keys the controller certifies: P-256 or P-384, or RSA of 2048 to 4096 bits. */
final class KeyRules {
  private KeyRules() {}

  static void check(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits == 256 || bits == 384) {
        return;
      }
      throw new TrustException("an EC key must be P-256 or P-384, got " + bits + " bits");
    }
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits >= 2048 && bits <= 4096) {
        return;
      }
      throw new TrustException("an RSA key must have 2048 to 4096 bits, got " + bits);
    }
    throw new TrustException("the key must be EC (P-256, P-384) or RSA, got " + key.getAlgorithm());
  }
}
