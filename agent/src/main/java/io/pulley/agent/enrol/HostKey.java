package io.pulley.agent.enrol;

import io.pulley.trust.CredentialFiles;
import io.pulley.trust.KeyPairs;
import io.pulley.trust.Pem;
import io.pulley.trust.PemFiles;
import io.pulley.trust.SecureFiles;
import io.pulley.trust.TrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * The host's private key in its tls dir: made on the host, written (0600) before the first request
 * that names it, so a restart while an approval is pending asks again with the same key — the one
 * whose fingerprint the admin compares.
 */
final class HostKey {
  private static final X9ECParameters P256 = ECNamedCurveTable.getByName("P-256");

  private HostKey() {}

  static KeyPair loadOrCreate(CredentialFiles files) throws IOException {
    if (Files.exists(files.keyFile())) {
      PrivateKey key = PemFiles.privateKey(files.keyFile());
      return new KeyPair(publicKeyOf(key), key);
    }
    KeyPair keys = KeyPairs.generate();
    SecureFiles.privateDirectory(files.dir());
    SecureFiles.write(files.keyFile(), Pem.of(keys.getPrivate()), true);
    return keys;
  }

  /** The public half of a P-256 key: the generator times the private scalar. */
  static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec) || !ec.getParams().getOrder().equals(P256.getN())) {
      throw new TrustException("the saved key is not a P-256 key; remove it to make a new one");
    }
    org.bouncycastle.math.ec.ECPoint q = P256.getG().multiply(ec.getS()).normalize();
    ECPoint point =
        new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(point, ec.getParams()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Java runtime has no EC keys", e);
    }
  }
}
