package io.pulley.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Certificates and private keys read from PEM files: with the JDK alone when it can read the file
 * whole (what {@link Pem} writes), else with BouncyCastle ({@link BouncyCastlePem}), so no file
 * reads differently than it did with BouncyCastle alone. An agent reads its credentials once at
 * start and then idles for weeks; BouncyCastle's PEM parser would leave about 160 classes (about 1
 * MB) loaded for good (docs/benchmarks.md). This class names none of BouncyCastle's types, so that
 * loading it loads none of them.
 */
public final class PemFiles {
  private static final int MAX_BYTES = 1 << 20;
  private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
  private static final String END_KEY = "-----END PRIVATE KEY-----";

  /** The key types Pulley makes (EC) and accepts from admins (RSA). */
  private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA");

  private PemFiles() {}

  public static List<X509Certificate> certificates(Path file) throws IOException {
    String text = read(file);
    List<X509Certificate> read = jdkCertificates(text);
    return read.isEmpty() ? BouncyCastlePem.certificates(text, file) : read;
  }

  public static X509Certificate certificate(Path file) throws IOException {
    return certificates(file).get(0);
  }

  public static PrivateKey privateKey(Path file) throws IOException {
    String text = read(file);
    Optional<PrivateKey> key = jdkPkcs8PrivateKey(text);
    return key.isPresent() ? key.get() : BouncyCastlePem.privateKey(text, file);
  }

  /** Every certificate in {@code text}, or none if the JDK's reader cannot take all of it. */
  static List<X509Certificate> jdkCertificates(String text) {
    try {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
        if (!(certificate instanceof X509Certificate x509)) {
          return List.of();
        }
        certificates.add(x509);
      }
      return certificates;
    } catch (CertificateException unreadableHere) {
      return List.of();
    }
  }

  /** The key if {@code text} is one unencrypted PKCS#8 block of an EC or RSA key, else empty. */
  static Optional<PrivateKey> jdkPkcs8PrivateKey(String text) {
    int begin = text.indexOf(BEGIN_KEY);
    int end = begin < 0 ? -1 : text.indexOf(END_KEY, begin);
    if (begin < 0 || end < 0 || text.indexOf("-----BEGIN", end) >= 0) {
      return Optional.empty();
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN_KEY.length(), end));
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return Optional.of(
            KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
      } catch (GeneralSecurityException notThisType) {
        // the next type, then BouncyCastle
      }
    }
    return Optional.empty();
  }

  private static String read(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new TrustException(file + " is too large for a PEM file");
    }
    return Files.readString(file, StandardCharsets.US_ASCII);
  }
}
