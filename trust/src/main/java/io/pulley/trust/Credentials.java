package io.pulley.trust;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * A client's key, its certificate and the controller's CA: what every call after enrolment uses.
 */
public record Credentials(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

  public Identity identity() {
    return Identity.of(certificate);
  }

  public Instant expires() {
    return certificate.getNotAfter().toInstant();
  }

  /**
   * True once two thirds of the certificate's life have passed: renewing then leaves a third of its
   * life to retry in, however short the lifetime the controller chose.
   */
  public boolean renewalDue(Instant now) {
    Instant start = certificate.getNotBefore().toInstant();
    Duration life = Duration.between(start, expires());
    return !now.isBefore(start.plus(life.multipliedBy(2).dividedBy(3)));
  }

  public boolean expired(Instant now) {
    return !now.isBefore(expires());
  }

  @Override
  public String toString() {
    return "credentials of " + identity() + " until " + expires(); // never the key
  }
}
