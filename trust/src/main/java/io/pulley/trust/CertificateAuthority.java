package io.pulley.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The controller's own certificate authority: it signs the controller's server certificate and
 * every host's and admin's client certificate. Its key never leaves the controller's data dir.
 */
public final class CertificateAuthority {
  /** Allowed clock difference between the controller and its peers. */
  private static final Duration SKEW = Duration.ofMinutes(5);

  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Clock clock;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key, Clock clock) {
    this.certificate = certificate;
    this.key = key;
    this.clock = clock;
  }

  /** The CA in {@code dir} ({@code ca.crt}, {@code ca.key}), made there on first use. */
  public static CertificateAuthority loadOrCreate(Path dir, Clock clock) throws IOException {
    Path certFile = dir.resolve("ca.crt");
    Path keyFile = dir.resolve("ca.key");
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      return load(certFile, keyFile, clock);
    }
    SecureFiles.privateDirectory(dir);
    KeyPair keys = KeyPairs.generate();
    Instant now = clock.instant();
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Pulley")
            .addRDN(BCStyle.CN, "Pulley controller CA " + new BigInteger(32, RANDOM).toString(16))
            .build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(),
                  Date.from(now.minus(SKEW)),
                  Date.from(now.plus(CA_LIFETIME)),
                  name,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate ca = sign(builder, keys.getPrivate());
      SecureFiles.write(keyFile, Pem.of(keys.getPrivate()), true);
      SecureFiles.write(certFile, Pem.of(ca), false);
      return new CertificateAuthority(ca, keys.getPrivate(), clock);
    } catch (java.security.NoSuchAlgorithmException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /** An existing CA the operator chose (PEM files). */
  public static CertificateAuthority load(Path certFile, Path keyFile, Clock clock)
      throws IOException {
    X509Certificate ca = PemFiles.certificate(certFile);
    if (ca.getBasicConstraints() < 0) {
      throw new TrustException(certFile + " is not a CA certificate (no basicConstraints CA)");
    }
    return new CertificateAuthority(ca, PemFiles.privateKey(keyFile), clock);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public CaPin pin() {
    return CaPin.of(certificate);
  }

  /** A client certificate for {@code identity}'s {@code key}, valid for {@code lifetime}. */
  public X509Certificate issueClient(PublicKey key, Identity identity, Duration lifetime) {
    KeyRules.check(key);
    GeneralNames names =
        new GeneralNames(
            new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri().toString()));
    return issue(key, identity.name(), names, KeyPurposeId.id_kp_clientAuth, lifetime);
  }

  /** A server certificate for the names and addresses agents and admins dial. */
  public X509Certificate issueServer(PublicKey key, List<String> hostNames, Duration lifetime) {
    GeneralName[] names = new GeneralName[hostNames.size()];
    for (int i = 0; i < names.length; i++) {
      String name = hostNames.get(i);
      names[i] =
          new GeneralName(
              HostNames.isIpLiteral(name) ? GeneralName.iPAddress : GeneralName.dNSName, name);
    }
    return issue(
        key, hostNames.get(0), new GeneralNames(names), KeyPurposeId.id_kp_serverAuth, lifetime);
  }

  private X509Certificate issue(
      PublicKey key,
      String commonName,
      GeneralNames names,
      KeyPurposeId purpose,
      Duration lifetime) {
    Instant now = clock.instant();
    Instant notAfter = now.plus(lifetime);
    if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
      notAfter = certificate.getNotAfter().toInstant();
    }
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minus(SKEW)),
                  Date.from(notAfter),
                  new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(),
                  key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(Extension.subjectAlternativeName, false, names)
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  utils.createAuthorityKeyIdentifier(certificate))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
      return sign(builder, this.key);
    } catch (java.security.NoSuchAlgorithmException
        | java.security.cert.CertificateEncodingException
        | CertIOException e) {
      throw new IllegalStateException("cannot build a certificate", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      return BouncyCastlePem.certificate(
          builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with the CA key", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
