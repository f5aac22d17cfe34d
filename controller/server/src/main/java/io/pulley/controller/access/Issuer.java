package io.pulley.controller.access;

import com.google.protobuf.ByteString;
import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.Identity;
import io.pulley.trust.TrustException;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.EnrolStatus;
import io.pulley.v1.IdentityKind;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * Issues client certificates from the controller's CA, with the lifetime of the identity's kind.
 *
 * @param hostLifetime how long a host's certificate is valid; the agent renews it before then
 * @param adminLifetime how long an admin's certificate is valid
 */
public record Issuer(CertificateAuthority ca, Duration hostLifetime, Duration adminLifetime) {
  public Issuer {
    if (hostLifetime.toMinutes() < 5 || adminLifetime.toMinutes() < 5) {
      throw new IllegalArgumentException(
          "certificate lifetimes must be at least 5 minutes, got host "
              + hostLifetime
              + " admin "
              + adminLifetime);
    }
  }

  X509Certificate issue(Identity identity, PublicKey key) {
    Duration lifetime = identity.kind() == Identity.Kind.HOST ? hostLifetime : adminLifetime;
    try {
      return ca.issueClient(key, identity, lifetime);
    } catch (TrustException e) {
      throw AccessException.invalid("certificate_request: " + e.getMessage());
    }
  }

  static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate we made", e);
    }
  }

  /** What Enrol and Renew answer with a new certificate. */
  EnrolResponse issued(X509Certificate certificate, String fingerprint) {
    Identity identity = Identity.of(certificate);
    return EnrolResponse.newBuilder()
        .setStatus(EnrolStatus.ENROL_STATUS_ISSUED)
        .setCertificate(ByteString.copyFrom(der(certificate)))
        .setCaCertificate(ByteString.copyFrom(der(ca.certificate())))
        .setKind(
            identity.kind() == Identity.Kind.HOST
                ? IdentityKind.IDENTITY_KIND_HOST
                : IdentityKind.IDENTITY_KIND_ADMIN)
        .setName(identity.name())
        .setKeyFingerprint(fingerprint)
        .build();
  }
}
