package io.pulley.controller.access;

import io.pulley.controller.store.AccessStore;
import io.pulley.trust.Fingerprints;
import io.pulley.trust.Identity;
import io.pulley.trust.TrustException;
import io.pulley.v1.AdminAccount;
import io.pulley.v1.EnrolmentState;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides who a call's client certificate speaks for and whether that identity may call the method.
 * Thread-safe. What a key speaks for is cached by key fingerprint and forgotten on every access
 * change ({@link #invalidate()}); the certificate's validity is checked at every call, so a
 * long-lived connection does not outlive its certificate.
 */
public final class Authenticator {
  private static final int MAX_CACHED = 100_000;

  private final AccessStore store;
  private final X509Certificate ca;
  private final Clock clock;
  private final Map<String, Verdict> byKey = new ConcurrentHashMap<>();

  public Authenticator(AccessStore store, X509Certificate ca, Clock clock) {
    this.store = store;
    this.ca = ca;
    this.clock = clock;
  }

  /**
   * The outcome for one call: a caller (null for a method anyone may call without a certificate),
   * or a refusal.
   */
  public record Verdict(Caller caller, Refusal refusal) {
    static Verdict allow(Caller caller) {
      return new Verdict(caller, null);
    }

    static Verdict refuse(boolean unauthenticated, String reason, String message) {
      return new Verdict(null, new Refusal(unauthenticated, reason, message));
    }
  }

  /**
   * Why a call was refused.
   *
   * @param unauthenticated true if no identity was established (else: known but not allowed)
   * @param reason a short tag for metrics: no_certificate, expired, not_ours, unknown, revoked,
   *     wrong_kind, role, unknown_method
   * @param message what the caller is told
   */
  public record Refusal(boolean unauthenticated, String reason, String message) {}

  /** Checks {@code peer} (null: no certificate) against {@code permission}. */
  public Verdict check(X509Certificate peer, Permission permission) {
    if (permission == Permission.NOBODY) {
      return Verdict.refuse(false, "unknown_method", "unknown method");
    }
    if (permission == Permission.ANYONE) {
      return Verdict.allow(null);
    }
    if (peer == null) {
      return Verdict.refuse(
          true, "no_certificate", "a client certificate is required: enrol first");
    }
    Instant now = clock.instant();
    if (now.isAfter(peer.getNotAfter().toInstant())
        || now.isBefore(peer.getNotBefore().toInstant())) {
      return Verdict.refuse(
          true,
          "expired",
          "the client certificate is not valid now (it expires "
              + peer.getNotAfter().toInstant()
              + "): renew it or enrol again");
    }
    Verdict known = byKey.computeIfAbsent(Fingerprints.of(peer.getPublicKey()), k -> resolve(peer));
    if (byKey.size() > MAX_CACHED) {
      byKey.clear();
    }
    if (known.refusal() != null) {
      return known;
    }
    Caller caller = known.caller();
    if (!permission.allows(caller)) {
      String reason = caller.isHost() || permission == Permission.HOST ? "wrong_kind" : "role";
      return Verdict.refuse(false, reason, caller.actor() + ": " + permission.describe());
    }
    return known;
  }

  /** Forgets what keys speak for; call after any change to tokens, enrolments or admins. */
  public void invalidate() {
    byKey.clear();
  }

  private Verdict resolve(X509Certificate peer) {
    try {
      peer.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return Verdict.refuse(true, "not_ours", "the client certificate is not from this controller");
    }
    Identity identity;
    try {
      identity = Identity.of(peer);
    } catch (TrustException e) {
      return Verdict.refuse(true, "not_ours", "the client certificate names no Pulley identity");
    }
    String fingerprint = Fingerprints.of(peer.getPublicKey());
    return identity.kind() == Identity.Kind.HOST
        ? resolveHost(identity, fingerprint)
        : resolveAdmin(identity, fingerprint);
  }

  private Verdict resolveHost(Identity identity, String fingerprint) {
    var enrolment =
        store.enrolmentByKey(fingerprint).filter(e -> e.getHostId().equals(identity.name()));
    if (enrolment.isEmpty()) {
      return Verdict.refuse(true, "unknown", identity + " is not enrolled with this key");
    }
    if (enrolment.get().getState() != EnrolmentState.ENROLMENT_STATE_ENROLLED) {
      return Verdict.refuse(true, "revoked", identity + " is revoked");
    }
    return Verdict.allow(Caller.host(identity.name(), fingerprint));
  }

  private Verdict resolveAdmin(Identity identity, String fingerprint) {
    Optional<AdminAccount> admin =
        store.adminOfKey(fingerprint).filter(identity.name()::equals).flatMap(store::admin);
    if (admin.isEmpty()) {
      return Verdict.refuse(true, "unknown", identity + " is not known with this key");
    }
    if (admin.get().getRevoked()) {
      return Verdict.refuse(true, "revoked", identity + " is revoked");
    }
    return Verdict.allow(
        new Caller(
            identity, admin.get().getRole(), admin.get().getScopesList(), true, fingerprint));
  }
}
