package io.pulley.controller.access;

import io.pulley.trust.Identity;
import io.pulley.v1.Role;
import java.util.List;

/**
 * Who is calling, as the controller established it from the caller's certificate and its store.
 *
 * @param role an admin's role; {@link Role#ROLE_UNSPECIFIED} for a host
 * @param scopes "APP/ENV" patterns a deployer is limited to; empty for no limit
 * @param authenticated false only in insecure mode, where nobody is
 * @param keyFingerprint the fingerprint of the key the caller's certificate is for; empty when
 *     unauthenticated
 */
public record Caller(
    Identity identity,
    Role role,
    List<String> scopes,
    boolean authenticated,
    String keyFingerprint) {
  private static final Caller INSECURE =
      new Caller(Identity.admin("insecure"), Role.ROLE_ADMIN, List.of(), false, "");

  public Caller {
    scopes = List.copyOf(scopes);
  }

  /** Everyone in insecure mode: an admin, unauthenticated. */
  public static Caller insecure() {
    return INSECURE;
  }

  /** An enrolled host calling with the key of fingerprint {@code keyFingerprint}. */
  public static Caller host(String hostId, String keyFingerprint) {
    return new Caller(
        Identity.host(hostId), Role.ROLE_UNSPECIFIED, List.of(), true, keyFingerprint);
  }

  public boolean isHost() {
    return identity.kind() == Identity.Kind.HOST;
  }

  public boolean isAdmin() {
    return identity.kind() == Identity.Kind.ADMIN;
  }

  /** Whether this admin's role is {@code role} or above it. */
  public boolean hasRole(Role wanted) {
    return isAdmin() && role.getNumber() >= wanted.getNumber();
  }

  /** "admin alice", "host web-1": what the audit trail and revisions record. */
  public String actor() {
    return identity.toString();
  }
}
