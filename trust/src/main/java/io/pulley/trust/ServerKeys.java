package io.pulley.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The controller's server certificate and key as PEM files ({@code server.crt} holds the chain: the
 * certificate, then the CA). Issued by the controller's CA for the names agents and admins dial,
 * and issued again at start when those names change or a third of its life is left.
 */
public record ServerKeys(Path certificateChain, Path privateKey) {
  public static final Duration LIFETIME = Duration.ofDays(365);

  public static ServerKeys loadOrIssue(
      Path dir, CertificateAuthority ca, List<String> names, Clock clock) throws IOException {
    Path certFile = dir.resolve("server.crt");
    Path keyFile = dir.resolve("server.key");
    if (Files.exists(certFile) && Files.exists(keyFile) && stillGood(certFile, ca, names, clock)) {
      return new ServerKeys(certFile, keyFile);
    }
    SecureFiles.privateDirectory(dir);
    KeyPair keys = KeyPairs.generate();
    X509Certificate certificate = ca.issueServer(keys.getPublic(), names, LIFETIME);
    SecureFiles.write(keyFile, Pem.of(keys.getPrivate()), true);
    SecureFiles.write(certFile, Pem.of(certificate, ca.certificate()), false);
    return new ServerKeys(certFile, keyFile);
  }

  private static boolean stillGood(
      Path certFile, CertificateAuthority ca, List<String> names, Clock clock) throws IOException {
    X509Certificate certificate = PemFiles.certificate(certFile);
    Instant now = clock.instant();
    Instant renewFrom = certificate.getNotAfter().toInstant().minus(LIFETIME.dividedBy(3));
    try {
      certificate.verify(ca.certificate().getPublicKey());
    } catch (java.security.GeneralSecurityException e) {
      return false; // issued by another CA (the operator changed it)
    }
    Set<String> wanted = new HashSet<>();
    names.forEach(name -> wanted.add(canonical(name)));
    return now.isBefore(renewFrom) && names(certificate).equals(wanted);
  }

  private static Set<String> names(X509Certificate certificate) {
    Set<String> names = new HashSet<>();
    try {
      var alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        alternatives.forEach(name -> names.add(canonical(String.valueOf(name.get(1)))));
      }
    } catch (CertificateParsingException e) {
      return Set.of();
    }
    return names;
  }

  /** An address as the JDK prints it ("::1" reads back as "0:0:0:0:0:0:0:1"); a name as it is. */
  private static String canonical(String name) {
    if (!HostNames.isIpLiteral(name)) {
      return name;
    }
    try {
      return java.net.InetAddress.getByName(name).getHostAddress(); // a literal: no lookup
    } catch (java.net.UnknownHostException e) {
      return name;
    }
  }
}
