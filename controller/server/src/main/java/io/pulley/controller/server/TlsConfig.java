package io.pulley.controller.server;

import io.pulley.controller.access.EnrolDesk;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the controller serves TLS and issues certificates.
 *
 * @param advertise the names and addresses agents and admins dial, written into the server
 *     certificate
 * @param caCert an existing CA certificate to use instead of the controller's own (with {@code
 *     caKey})
 * @param tlsCert an existing server certificate chain to serve instead of one the CA issues (with
 *     {@code tlsKey}); it must be issued by the CA clients trust
 * @param hostCertLifetime how long hosts' certificates are valid
 * @param adminCertLifetime how long admins' certificates are valid
 * @param webhookCert a certificate chain for the webhook listener instead of the server's (with
 *     {@code webhookKey}): forges check it against public CAs, not against the controller's
 * @param enrolsPerMinute Enrol calls allowed per peer address and minute
 */
public record TlsConfig(
    List<String> advertise,
    Optional<Path> caCert,
    Optional<Path> caKey,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey,
    Duration hostCertLifetime,
    Duration adminCertLifetime,
    Optional<Path> webhookCert,
    Optional<Path> webhookKey,
    int enrolsPerMinute) {
  public static final Duration DEFAULT_HOST_LIFETIME = Duration.ofDays(7);
  public static final Duration DEFAULT_ADMIN_LIFETIME = Duration.ofDays(30);

  public TlsConfig {
    advertise = List.copyOf(advertise);
    if (advertise.isEmpty()) {
      throw new IllegalArgumentException("at least one name to advertise is needed");
    }
    if (caCert.isPresent() != caKey.isPresent()) {
      throw new IllegalArgumentException("--ca-cert and --ca-key go together");
    }
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (webhookCert.isPresent() != webhookKey.isPresent()) {
      throw new IllegalArgumentException("--webhook-tls-cert and --webhook-tls-key go together");
    }
    for (Duration lifetime : List.of(hostCertLifetime, adminCertLifetime)) {
      if (lifetime.compareTo(Duration.ofMinutes(5)) < 0
          || lifetime.compareTo(Duration.ofDays(3650)) > 0) {
        throw new IllegalArgumentException(
            "certificate lifetimes must be between 5 minutes and 10 years, got " + lifetime);
      }
    }
    if (enrolsPerMinute < 1 || enrolsPerMinute > EnrolDesk.MAX_ENROLS_PER_MINUTE) {
      throw new IllegalArgumentException(
          "--enrol-rate-per-minute must be between 1 and "
              + EnrolDesk.MAX_ENROLS_PER_MINUTE
              + ", got "
              + enrolsPerMinute);
    }
  }

  /** The controller's own CA and server certificate, for the default names of {@code listen}. */
  public static TlsConfig defaults(InetSocketAddress listen) {
    return new TlsConfig(
        defaultNames(listen),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_HOST_LIFETIME,
        DEFAULT_ADMIN_LIFETIME,
        Optional.empty(),
        Optional.empty(),
        EnrolDesk.DEFAULT_ENROLS_PER_MINUTE);
  }

  public TlsConfig withAdvertise(List<String> names) {
    return new TlsConfig(
        names,
        caCert,
        caKey,
        tlsCert,
        tlsKey,
        hostCertLifetime,
        adminCertLifetime,
        webhookCert,
        webhookKey,
        enrolsPerMinute);
  }

  public TlsConfig withCa(Path cert, Path key) {
    return new TlsConfig(
        advertise,
        Optional.of(cert),
        Optional.of(key),
        tlsCert,
        tlsKey,
        hostCertLifetime,
        adminCertLifetime,
        webhookCert,
        webhookKey,
        enrolsPerMinute);
  }

  public TlsConfig withServerCertificate(Path chain, Path key) {
    return new TlsConfig(
        advertise,
        caCert,
        caKey,
        Optional.of(chain),
        Optional.of(key),
        hostCertLifetime,
        adminCertLifetime,
        webhookCert,
        webhookKey,
        enrolsPerMinute);
  }

  public TlsConfig withLifetimes(Duration host, Duration admin) {
    return new TlsConfig(
        advertise,
        caCert,
        caKey,
        tlsCert,
        tlsKey,
        host,
        admin,
        webhookCert,
        webhookKey,
        enrolsPerMinute);
  }

  /** The webhook listener serves this chain and key instead of the server certificate. */
  public TlsConfig withWebhookCertificate(Path chain, Path key) {
    return new TlsConfig(
        advertise,
        caCert,
        caKey,
        tlsCert,
        tlsKey,
        hostCertLifetime,
        adminCertLifetime,
        Optional.of(chain),
        Optional.of(key),
        enrolsPerMinute);
  }

  /** Raises (or lowers) how many Enrol calls one peer address may make per minute. */
  public TlsConfig withEnrolRate(int perMinute) {
    return new TlsConfig(
        advertise,
        caCert,
        caKey,
        tlsCert,
        tlsKey,
        hostCertLifetime,
        adminCertLifetime,
        webhookCert,
        webhookKey,
        perMinute);
  }

  /**
   * This machine's host name, localhost, 127.0.0.1 and ::1, and each listen host unless it is a
   * wildcard (the gRPC one, and the webhook listener's, which serves the same certificate).
   */
  public static List<String> defaultNames(InetSocketAddress... listeners) {
    List<String> names = new ArrayList<>();
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // No resolvable host name: the loopback names still serve local clients.
    }
    names.addAll(List.of("localhost", "127.0.0.1", "::1"));
    for (InetSocketAddress listen : listeners) {
      String host = listen.getHostString();
      boolean wildcard = listen.getAddress() != null && listen.getAddress().isAnyLocalAddress();
      if (!wildcard && !host.isEmpty()) {
        names.add(host);
      }
    }
    return names.stream().distinct().toList();
  }
}
