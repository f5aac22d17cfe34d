package io.pulley.controller.access;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.store.AccessStore;
import io.pulley.controller.time.ProtoTime;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.Identity;
import io.pulley.trust.SecureFiles;
import io.pulley.v1.AdminAccount;
import io.pulley.v1.CreateTokenResponse;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.IdentityKind;
import io.pulley.v1.Role;
import io.pulley.v1.TokenInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin accounts: invitations (single-use admin tokens), enrolment with them, renewal, revocation,
 * and the first admin's token written at the first start. Thread-safe.
 */
public final class AdminAccounts {
  private static final Logger log = LoggerFactory.getLogger(AdminAccounts.class);
  static final Duration DEFAULT_INVITE_TTL = Duration.ofDays(1);
  private static final Duration INITIAL_TTL = Duration.ofDays(7);

  private final AccessStore store;
  private final Tokens tokens;
  private final Issuer issuer;
  private final Clock clock;
  private final Authenticator authenticator;
  private final AuditTrail trail;
  private volatile Path firstAdminFile;
  private volatile String firstAdminTokenId = "";

  AdminAccounts(
      AccessStore store,
      Tokens tokens,
      Issuer issuer,
      Clock clock,
      Authenticator authenticator,
      AuditTrail trail) {
    this.store = store;
    this.trail = trail;
    this.tokens = tokens;
    this.issuer = issuer;
    this.clock = clock;
    this.authenticator = authenticator;
  }

  /**
   * With no admin yet, writes a one-use admin token for "admin" (role admin) to {@code file}, mode
   * 0600, unless the one written before is still usable. Logs the file's path, never the token.
   */
  void ensureFirstAdmin(Path file) throws IOException {
    firstAdminFile = file;
    if (!store.admins().isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    String written = Files.exists(file) ? Files.readString(file).strip() : "";
    if (stillUsable(written)) {
      firstAdminTokenId = io.pulley.trust.BootstrapToken.parse(written).id();
      log.warn("no admin yet: the first admin's token is in {}", file);
      return;
    }
    CreateTokenResponse token =
        invite("admin", Role.ROLE_ADMIN, List.of(), INITIAL_TTL, "controller (first start)");
    SecureFiles.write(file, token.getToken() + "\n", true);
    firstAdminTokenId = token.getId();
    log.warn(
        "no admin yet: the first admin's one-use token is in {} (pulley login); valid until {}",
        file,
        ProtoTime.instant(token.getExpires()));
  }

  public CreateTokenResponse invite(
      String name, Role role, List<String> scopes, Duration ttl, String actor) {
    String problem = Identity.problem(name);
    if (problem != null) {
      throw AccessException.invalid("name: " + problem);
    }
    if (role == Role.ROLE_UNSPECIFIED || role == Role.UNRECOGNIZED) {
      throw AccessException.invalid("role: viewer, deployer or admin is required");
    }
    String scopeProblem = Scopes.problem(scopes);
    if (scopeProblem != null) {
      throw AccessException.invalid("scopes: " + scopeProblem);
    }
    CreateTokenResponse token =
        tokens.create(
            TokenInfo.newBuilder()
                .setKind(IdentityKind.IDENTITY_KIND_ADMIN)
                .setAdminName(name)
                .setRole(role)
                .addAllScopes(scopes)
                .setUsesLeft(1)
                .setDescription("admin " + name)
                .setCreatedBy(actor),
            ttl.isZero() ? DEFAULT_INVITE_TTL : ttl);
    trail.recordAccess(
        "admin",
        actor,
        "admin "
            + name
            + " invited as "
            + role.name().substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT)
            + (scopes.isEmpty() ? "" : " for " + String.join(",", scopes))
            + " (token "
            + token.getId()
            + ")");
    return token;
  }

  /** Creates (or re-creates) the account an admin token names and certifies the request's key. */
  EnrolResponse enrolWithToken(TokenInfo token, CertificateRequests.Checked request) {
    String name = token.getAdminName();
    X509Certificate certificate = issuer.issue(Identity.admin(name), request.publicKey());
    AdminAccount account =
        AdminAccount.newBuilder()
            .setName(name)
            .setRole(token.getRole())
            .addAllScopes(token.getScopesList())
            .setSince(ProtoTime.timestamp(clock.instant()))
            .build();
    if (!store.addAdminWithToken(token.getId(), account, request.fingerprint())) {
      throw Tokens.usedUp(token.getId());
    }
    authenticator.invalidate();
    if (token.getId().equals(firstAdminTokenId)) {
      forgetFirstAdminFile();
    }
    trail.recordAccess(
        "admin",
        "token " + token.getId(),
        "admin " + name + " logged in, key " + request.fingerprint());
    return issuer.issued(certificate, request.fingerprint());
  }

  /** A new certificate for the calling admin; a new key is bound beside the current one. */
  EnrolResponse renew(Caller caller, CertificateRequests.Checked request) {
    String name = caller.identity().name();
    if (!request.commonName().equals(name)) {
      throw AccessException.denied("the request must name admin " + name);
    }
    X509Certificate certificate = issuer.issue(caller.identity(), request.publicKey());
    // The new key replaces the one this call came with; the admin's other logins keep theirs.
    store.putAdminKey(name, request.fingerprint(), caller.keyFingerprint());
    authenticator.invalidate();
    if (!request.fingerprint().equals(caller.keyFingerprint())) {
      trail.recordAccess(
          "admin",
          caller.actor(),
          "admin " + name + " changed its key to " + request.fingerprint());
    }
    return issuer.issued(certificate, request.fingerprint());
  }

  public List<AdminAccount> list() {
    return store.admins();
  }

  public AdminAccount revoke(String name, String actor) {
    AdminAccount account =
        store
            .admin(name)
            .orElseThrow(() -> AccessException.notFound("no admin " + name))
            .toBuilder()
            .setRevoked(true)
            .build();
    store.putAdmin(account);
    authenticator.invalidate();
    trail.recordAccess("admin", actor, "admin " + name + " revoked");
    return account;
  }

  /** The caller's account; in insecure mode a stand-in admin. */
  public AdminAccount whoAmI(Caller caller) {
    if (!caller.authenticated()) {
      return AdminAccount.newBuilder()
          .setName(caller.identity().name())
          .setRole(caller.role())
          .build();
    }
    return store
        .admin(caller.identity().name())
        .orElseThrow(() -> AccessException.notFound("no admin " + caller.identity().name()));
  }

  private void forgetFirstAdminFile() {
    try {
      Files.deleteIfExists(firstAdminFile);
    } catch (IOException e) {
      log.warn(
          "cannot delete {} (its token is used and no longer valid): {}",
          firstAdminFile,
          e.toString());
    }
  }

  private boolean stillUsable(String text) {
    try {
      String id = io.pulley.trust.BootstrapToken.parse(text).id();
      return store
          .token(id)
          .map(
              t ->
                  t.info().getUsesLeft() > 0
                      && clock.instant().isBefore(ProtoTime.instant(t.info().getExpires())))
          .orElse(false);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
