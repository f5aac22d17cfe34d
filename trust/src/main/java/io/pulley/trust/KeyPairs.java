package io.pulley.trust;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * New keys: ECDSA on P-256 for everything. Its handshakes cost a fraction of RSA's, which matters
 * when ten thousand agents reconnect at once, and every TLS 1.2/1.3 peer speaks it.
 */
public final class KeyPairs {
  private KeyPairs() {}

  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Java runtime has no P-256 keys", e);
    }
  }
}
