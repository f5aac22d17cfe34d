package io.pulley.controller.access;

import com.google.protobuf.Timestamp;
import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.store.AccessStore;
import io.pulley.controller.time.ProtoTime;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CaPin;
import io.pulley.trust.TrustException;
import io.pulley.v1.CreateTokenRequest;
import io.pulley.v1.CreateTokenResponse;
import io.pulley.v1.IdentityKind;
import io.pulley.v1.TokenInfo;
import io.pulley.wire.SafeText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Bootstrap tokens: made here, shown once, kept as a hash. Thread-safe. Using a token (taking one
 * of its uses) happens in the store, in the same transaction as what it grants.
 */
public final class Tokens {
  public static final int MAX_USES = 10_000;
  public static final Duration MIN_TTL = Duration.ofSeconds(60);
  public static final Duration MAX_TTL = Duration.ofDays(30);

  private final AccessStore store;
  private final CaPin pin;
  private final Clock clock;
  private final AuditTrail trail;

  Tokens(AccessStore store, CaPin pin, Clock clock, AuditTrail trail) {
    this.store = store;
    this.pin = pin;
    this.clock = clock;
    this.trail = trail;
  }

  /** Stores a token described by {@code info} (its id, expiry and secret are filled in here). */
  CreateTokenResponse create(TokenInfo.Builder info, Duration ttl) {
    if (info.getUsesLeft() < 1 || info.getUsesLeft() > MAX_USES) {
      throw AccessException.invalid(
          "uses must be between 1 and " + MAX_USES + ", got " + info.getUsesLeft());
    }
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw AccessException.invalid(
          "ttl_seconds must be between 60 and " + MAX_TTL.toSeconds() + ", got " + ttl.toSeconds());
    }
    if (info.getDescription().length() > 200) {
      throw AccessException.invalid("description is at most 200 characters");
    }
    Labels.check(info.getLabelsMap());
    BootstrapToken token = BootstrapToken.create(pin);
    Timestamp expires = ProtoTime.timestamp(clock.instant().plus(ttl));
    store.putToken(
        info.setId(token.id()).setExpires(expires).build(), BootstrapToken.hash(token.secret()));
    return CreateTokenResponse.newBuilder()
        .setToken(token.text())
        .setId(token.id())
        .setExpires(expires)
        .build();
  }

  /** A host token binding the request's labels. */
  public CreateTokenResponse createHostToken(CreateTokenRequest request, String actor) {
    CreateTokenResponse token =
        create(
            TokenInfo.newBuilder()
                .setKind(IdentityKind.IDENTITY_KIND_HOST)
                .putAllLabels(request.getLabelsMap())
                .setUsesLeft(request.getUses())
                .setDescription(request.getDescription())
                .setCreatedBy(actor),
            Duration.ofSeconds(request.getTtlSeconds()));
    trail.recordAccess(
        "token",
        actor,
        "host token "
            + token.getId()
            + " created: "
            + request.getUses()
            + " uses, labels "
            + Labels.describe(request.getLabelsMap())
            + ", expires "
            + ProtoTime.instant(token.getExpires()));
    return token;
  }

  public List<TokenInfo> list() {
    return store.tokens();
  }

  public void delete(String id, String actor) {
    if (!store.deleteToken(id)) {
      throw AccessException.notFound("no token \"" + SafeText.excerpt(id) + "\"");
    }
    trail.recordAccess("token", actor, "token " + id + " deleted");
  }

  /**
   * The token {@code secretPart} ("ID.SECRET") names, if it is valid now and of {@code kind}.
   * Whether a use is left is checked again when it is taken.
   */
  TokenInfo redeemable(String secretPart) {
    BootstrapToken.SecretPart part;
    try {
      part = BootstrapToken.SecretPart.parse(secretPart);
    } catch (TrustException e) {
      throw AccessException.invalid(e.getMessage());
    }
    AccessStore.StoredToken stored = store.token(part.id()).orElse(null);
    // One answer for an unknown id and a wrong secret: the id alone reveals nothing.
    if (stored == null || !BootstrapToken.secretMatches(part.secret(), stored.secretHash())) {
      throw unusable("unknown token");
    }
    TokenInfo info = stored.info();
    Instant expires = ProtoTime.instant(info.getExpires());
    if (!clock.instant().isBefore(expires)) {
      throw unusable("token " + info.getId() + " expired at " + expires);
    }
    if (info.getUsesLeft() < 1) {
      throw usedUp(info.getId());
    }
    return info;
  }

  static AccessException usedUp(String id) {
    return unusable("token " + id + " has been used up");
  }

  private static AccessException unusable(String message) {
    return new AccessException(AccessException.Reason.UNAUTHENTICATED, message);
  }

  static boolean isAdminToken(TokenInfo info) {
    return info.getKind() == IdentityKind.IDENTITY_KIND_ADMIN;
  }
}
