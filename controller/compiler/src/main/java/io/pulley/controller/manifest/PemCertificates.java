package io.pulley.controller.manifest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;

/**
 * Certificates (PEM) a manifest gives for the host to trust, such as a relay's or an ACME server's
 * private CA: read with the JDK's X.509 parser, so that a mistake shows at apply, not as a TLS
 * failure on the host. Stateless.
 */
final class PemCertificates {
  static final int MAX_CHARACTERS = 65_536;

  private PemCertificates() {}

  /** Why {@code pem} is not one or more PEM certificates, in words; empty if it is. */
  static Optional<String> problem(String pem) {
    if (pem.length() > MAX_CHARACTERS) {
      return Optional.of("it is over " + MAX_CHARACTERS + " characters");
    }
    if (!pem.strip().startsWith("-----BEGIN CERTIFICATE-----")) {
      return Optional.of("it must be PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    try {
      int count =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))
              .size();
      return count == 0 ? Optional.of("it holds no certificate") : Optional.empty();
    } catch (CertificateException e) {
      return Optional.of("it is not readable as PEM certificates: " + e.getMessage());
    }
  }
}
