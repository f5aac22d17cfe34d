package io.pulley.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * TLS for the controller's listeners that are not gRPC (the webhook listener), from the same PEM
 * files gRPC serves: a certificate chain and its unencrypted key. Which protocol versions a
 * listener speaks is the listener's choice; this only holds the key.
 */
public final class ServerSslContexts {
  private static final byte[] PROBE =
      "does this key belong to this certificate".getBytes(StandardCharsets.US_ASCII);

  private ServerSslContexts() {}

  /**
   * A context serving {@code chainFile} (PEM, the certificate first, then any intermediates) with
   * the key in {@code keyFile}. A key that does not belong to the certificate is refused here, at
   * start, rather than in every handshake later; the message names the files, never the key.
   */
  public static SSLContext fromPem(Path chainFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = PemFiles.certificates(chainFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    if (!belongsTo(key, chain.get(0).getPublicKey())) {
      throw new TrustException(keyFile + " is not the key of the certificate in " + chainFile);
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {KeyManagers.of(key, chain)}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Java runtime offers no TLS", e);
    }
  }

  /** Signs a probe with {@code key} and checks it with {@code certified}: the pair or not. */
  private static boolean belongsTo(PrivateKey key, PublicKey certified) {
    try {
      String algorithm = signatureAlgorithm(key);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a key of another kind than the certificate's, say
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA"; // BouncyCastle's converter may say ECDSA
      case "RSA" -> "SHA256withRSA";
      default -> key.getAlgorithm(); // Ed25519 and Ed448 name their own signature
    };
  }
}
