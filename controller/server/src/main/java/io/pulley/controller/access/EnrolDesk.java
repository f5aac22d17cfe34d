package io.pulley.controller.access;

import io.pulley.trust.CertificateRequests;
import io.pulley.trust.TrustException;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.TokenInfo;
import java.time.Clock;

/**
 * Where certificates are handed out: Enrol (with a host or admin token, or asking for approval) and
 * Renew. Thread-safe. Enrol is the one call anybody may make, so each peer address gets a few per
 * minute (more when the operator says so: a fleet behind one NAT address enrols all at once).
 */
public final class EnrolDesk {
  /** Enrol calls allowed per peer address and minute, unless {@code serve} is told otherwise. */
  public static final int DEFAULT_ENROLS_PER_MINUTE = 20;

  /** The most a limit may allow: a counter per address, far above any real fleet's burst. */
  public static final int MAX_ENROLS_PER_MINUTE = 1_000_000;

  private final Tokens tokens;
  private final HostEnrolments hosts;
  private final AdminAccounts admins;
  private final PeerRateLimit limit;

  EnrolDesk(
      Tokens tokens, HostEnrolments hosts, AdminAccounts admins, Clock clock, int enrolsPerMinute) {
    if (enrolsPerMinute > MAX_ENROLS_PER_MINUTE) {
      throw new IllegalArgumentException(
          "enrolsPerMinute must be at most " + MAX_ENROLS_PER_MINUTE + ", got " + enrolsPerMinute);
    }
    this.tokens = tokens;
    this.hosts = hosts;
    this.admins = admins;
    this.limit = new PeerRateLimit(enrolsPerMinute, clock);
  }

  /**
   * @param peer the caller's address (without port), for the rate limit and the pending record
   */
  public EnrolResponse enrol(EnrolRequest request, String peer) {
    if (!limit.tryAcquire(peer)) {
      throw new AccessException(
          AccessException.Reason.EXHAUSTED,
          "too many enrolment attempts from " + peer + "; try again in a minute");
    }
    CertificateRequests.Checked checked = check(request.getCertificateRequest().toByteArray());
    if (request.getToken().isEmpty()) {
      return hosts.requestApproval(checked, request.getRequestedLabelsMap(), peer);
    }
    TokenInfo token = tokens.redeemable(request.getToken());
    return Tokens.isAdminToken(token)
        ? admins.enrolWithToken(token, checked)
        : hosts.enrolWithToken(token, checked);
  }

  /** A fresh certificate for the caller's own identity. */
  public EnrolResponse renew(Caller caller, byte[] certificateRequest) {
    CertificateRequests.Checked checked = check(certificateRequest);
    return caller.isHost() ? hosts.renew(caller, checked) : admins.renew(caller, checked);
  }

  private static CertificateRequests.Checked check(byte[] der) {
    try {
      return CertificateRequests.check(der);
    } catch (TrustException e) {
      throw AccessException.invalid(e.getMessage());
    }
  }
}
