package io.pulley.trust;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM that the JDK cannot read whole, read by BouncyCastle: other key forms, mixed files. */
final class BouncyCastlePem {
  private BouncyCastlePem() {}

  static List<X509Certificate> certificates(String text, Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(certificate(holder));
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new TrustException(file + " holds no PEM certificate");
    }
    return certificates;
  }

  static PrivateKey privateKey(String text, Path file) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new TrustException(file + " holds no unencrypted PEM private key");
    }
  }

  static X509Certificate certificate(X509CertificateHolder holder) {
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new TrustException("unreadable certificate", e);
    }
  }
}
