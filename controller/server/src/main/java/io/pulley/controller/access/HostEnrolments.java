package io.pulley.controller.access;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.store.AccessStore;
import io.pulley.controller.time.ProtoTime;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.Identity;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.EnrolStatus;
import io.pulley.v1.Enrolment;
import io.pulley.v1.EnrolmentState;
import io.pulley.v1.IdentityKind;
import io.pulley.v1.TokenInfo;
import io.pulley.wire.SafeText;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hosts' enrolments: by token, by an admin's approval, renewal, revocation, removal, and the labels
 * bound to each enrolled host (kept in memory too: every poll reads them). Thread-safe.
 */
public final class HostEnrolments {
  /** Most pending requests kept at once: each is a row an anonymous caller can make. */
  static final int MAX_PENDING = 1000;

  private final AccessStore store;
  private final Issuer issuer;
  private final Clock clock;
  private final AccessListener listener;
  private final Authenticator authenticator;
  private final AuditTrail trail;
  private final Map<String, Map<String, String>> bound = new ConcurrentHashMap<>();

  HostEnrolments(
      AccessStore store,
      Issuer issuer,
      Clock clock,
      AccessListener listener,
      Authenticator authenticator,
      AuditTrail trail) {
    this.store = store;
    this.trail = trail;
    this.authenticator = authenticator;
    this.issuer = issuer;
    this.clock = clock;
    this.listener = listener;
    for (Enrolment enrolment : store.enrolments()) {
      if (enrolment.getState() == EnrolmentState.ENROLMENT_STATE_ENROLLED) {
        bound.put(enrolment.getHostId(), Map.copyOf(enrolment.getLabelsMap()));
      }
    }
  }

  /** The labels bound to an enrolled host; empty if it is not enrolled. */
  public Optional<Map<String, String>> boundLabels(String hostId) {
    return Optional.ofNullable(bound.get(hostId));
  }

  public List<Enrolment> list() {
    return store.enrolments();
  }

  /** Enrols the host a request names with a host token, binding the token's labels. */
  EnrolResponse enrolWithToken(TokenInfo token, CertificateRequests.Checked request) {
    String hostId = hostIdOf(request);
    refuseTaken(hostId, request.fingerprint());
    X509Certificate certificate = issuer.issue(Identity.host(hostId), request.publicKey());
    Enrolment enrolment =
        enrolled(hostId, token.getLabelsMap(), request.fingerprint(), certificate).build();
    if (!store.enrolWithToken(token.getId(), enrolment)) {
      throw Tokens.usedUp(token.getId());
    }
    bind(enrolment);
    trail.recordAccess(
        "host",
        "token " + token.getId(),
        "host "
            + hostId
            + " enrolled, key "
            + request.fingerprint()
            + ", labels "
            + Labels.describe(enrolment.getLabelsMap()));
    return issuer.issued(certificate, request.fingerprint());
  }

  /**
   * Without a token: a certificate if an admin approved this key, else the request is recorded (or
   * updated) as pending.
   */
  EnrolResponse requestApproval(
      CertificateRequests.Checked request, Map<String, String> requested, String peer) {
    String hostId = hostIdOf(request);
    Labels.check(requested);
    Optional<Enrolment> existing = store.enrolment(hostId);
    if (existing.isPresent()
        && existing.get().getState() == EnrolmentState.ENROLMENT_STATE_ENROLLED
        && existing.get().getKeyFingerprint().equals(request.fingerprint())) {
      return renewed(existing.get(), request);
    }
    refuseTaken(hostId, request.fingerprint());
    if (existing.isEmpty() && pendingCount() >= MAX_PENDING) {
      throw new AccessException(
          AccessException.Reason.EXHAUSTED,
          MAX_PENDING + " enrolment requests are already pending; try later");
    }
    store.putEnrolment(
        Enrolment.newBuilder()
            .setHostId(hostId)
            .setState(EnrolmentState.ENROLMENT_STATE_PENDING)
            .putAllRequestedLabels(requested)
            .setKeyFingerprint(request.fingerprint())
            .setRequestedFrom(peer)
            .setSince(ProtoTime.timestamp(clock.instant()))
            .build());
    if (existing.isEmpty()) {
      // Recorded once per host id: asking again (the agent waiting, or an anonymous caller
      // cycling keys for the same id) would otherwise grow the trail without bound.
      trail.recordAccess(
          "host",
          "peer " + peer,
          "host " + hostId + " asks to enrol (pending), key " + request.fingerprint());
    }
    return EnrolResponse.newBuilder()
        .setStatus(EnrolStatus.ENROL_STATUS_PENDING)
        .setKind(IdentityKind.IDENTITY_KIND_HOST)
        .setName(hostId)
        .setKeyFingerprint(request.fingerprint())
        .build();
  }

  /** A new certificate for an enrolled host, for the same key or a new one. */
  EnrolResponse renew(Caller caller, CertificateRequests.Checked request) {
    Enrolment enrolment =
        store
            .enrolment(caller.identity().name())
            .orElseThrow(() -> AccessException.notFound(caller.actor() + " is not enrolled"));
    return renewed(enrolment, request);
  }

  public Enrolment approve(
      String hostId,
      String fingerprint,
      Map<String, String> labels,
      boolean replace,
      String actor) {
    Enrolment pending =
        store
            .enrolment(hostId)
            .filter(e -> e.getState() == EnrolmentState.ENROLMENT_STATE_PENDING)
            .orElseThrow(() -> AccessException.notFound("no pending request of host " + hostId));
    if (!fingerprint.isEmpty() && !fingerprint.equals(pending.getKeyFingerprint())) {
      throw AccessException.invalid(
          "the pending request of host "
              + hostId
              + " has key "
              + pending.getKeyFingerprint()
              + ", not "
              + fingerprint);
    }
    Map<String, String> chosen =
        new TreeMap<>(replace ? Map.of() : pending.getRequestedLabelsMap());
    chosen.putAll(labels);
    Labels.check(chosen);
    Enrolment approved =
        pending.toBuilder()
            .setState(EnrolmentState.ENROLMENT_STATE_ENROLLED)
            .clearLabels()
            .putAllLabels(chosen)
            .setSince(ProtoTime.timestamp(clock.instant()))
            .build();
    store.putEnrolment(approved);
    bind(approved);
    trail.recordAccess(
        "host",
        actor,
        "host "
            + hostId
            + " approved, key "
            + pending.getKeyFingerprint()
            + ", labels "
            + Labels.describe(chosen));
    return approved;
  }

  public Enrolment revoke(String hostId, String actor) {
    Enrolment revoked =
        existing(hostId).toBuilder().setState(EnrolmentState.ENROLMENT_STATE_REVOKED).build();
    store.putEnrolment(revoked);
    bound.remove(hostId);
    authenticator.invalidate();
    trail.recordAccess("host", actor, "host " + hostId + " revoked");
    listener.hostRevoked(hostId);
    return revoked;
  }

  public void remove(String hostId, String actor) {
    if (!store.removeEnrolment(hostId)) {
      throw AccessException.notFound("no host " + hostId);
    }
    bound.remove(hostId);
    authenticator.invalidate();
    trail.recordAccess("host", actor, "host " + hostId + " removed");
    listener.hostRemoved(hostId);
  }

  public Enrolment label(
      String hostId, Map<String, String> set, List<String> remove, String actor) {
    Enrolment enrolment = existing(hostId);
    Map<String, String> labels = new TreeMap<>(enrolment.getLabelsMap());
    remove.forEach(labels::remove);
    labels.putAll(set);
    Labels.check(labels);
    Enrolment relabelled = enrolment.toBuilder().clearLabels().putAllLabels(labels).build();
    store.putEnrolment(relabelled);
    bind(relabelled);
    trail.recordAccess("host", actor, "host " + hostId + " labelled " + Labels.describe(labels));
    return relabelled;
  }

  private EnrolResponse renewed(Enrolment enrolment, CertificateRequests.Checked request) {
    String hostId = enrolment.getHostId();
    if (!request.commonName().equals(hostId)) {
      throw AccessException.denied(
          "the request names "
              + "\""
              + SafeText.excerpt(request.commonName())
              + "\""
              + ", not host "
              + hostId);
    }
    X509Certificate certificate = issuer.issue(Identity.host(hostId), request.publicKey());
    store.putEnrolment(
        enrolment.toBuilder()
            .setKeyFingerprint(request.fingerprint())
            .setCertificateExpires(ProtoTime.timestamp(certificate.getNotAfter().toInstant()))
            .build());
    if (!request.fingerprint().equals(enrolment.getKeyFingerprint())) {
      trail.recordAccess(
          "host",
          "host " + hostId,
          "host " + hostId + " changed its key to " + request.fingerprint());
    }
    return issuer.issued(certificate, request.fingerprint());
  }

  private void bind(Enrolment enrolment) {
    authenticator.invalidate();
    if (enrolment.getState() == EnrolmentState.ENROLMENT_STATE_ENROLLED) {
      bound.put(enrolment.getHostId(), Map.copyOf(enrolment.getLabelsMap()));
      listener.hostLabelled(enrolment.getHostId(), enrolment.getLabelsMap());
    }
  }

  private Enrolment existing(String hostId) {
    return store.enrolment(hostId).orElseThrow(() -> AccessException.notFound("no host " + hostId));
  }

  private void refuseTaken(String hostId, String fingerprint) {
    Optional<Enrolment> existing = store.enrolment(hostId);
    if (existing.isEmpty()) {
      return;
    }
    EnrolmentState state = existing.get().getState();
    if (state == EnrolmentState.ENROLMENT_STATE_REVOKED) {
      throw AccessException.denied(
          "host " + hostId + " is revoked; remove it first: pulley hosts remove " + hostId);
    }
    if (state == EnrolmentState.ENROLMENT_STATE_ENROLLED
        && !existing.get().getKeyFingerprint().equals(fingerprint)) {
      throw new AccessException(
          AccessException.Reason.ALREADY_EXISTS,
          "host "
              + hostId
              + " is enrolled with another key; remove it first: pulley hosts remove "
              + hostId);
    }
  }

  private long pendingCount() {
    return store.enrolments().stream()
        .filter(e -> e.getState() == EnrolmentState.ENROLMENT_STATE_PENDING)
        .count();
  }

  private static String hostIdOf(CertificateRequests.Checked request) {
    String problem = Identity.problem(request.commonName());
    if (problem != null) {
      throw AccessException.invalid("certificate_request: common name: " + problem);
    }
    return request.commonName();
  }

  private Enrolment.Builder enrolled(
      String hostId, Map<String, String> labels, String fingerprint, X509Certificate certificate) {
    return Enrolment.newBuilder()
        .setHostId(hostId)
        .setState(EnrolmentState.ENROLMENT_STATE_ENROLLED)
        .putAllLabels(labels)
        .setKeyFingerprint(fingerprint)
        .setCertificateExpires(ProtoTime.timestamp(certificate.getNotAfter().toInstant()))
        .setSince(ProtoTime.timestamp(clock.instant()));
  }
}
