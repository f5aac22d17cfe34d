package io.pulley.controller.access;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.store.AccessStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Who may reach the fleet, assembled: tokens, hosts' enrolments, admins, the enrolment desk and the
 * authenticator every call passes. Thread-safe.
 */
public final class Access {
  /** The first admin's token, in the data directory, until it is used. */
  public static final String FIRST_ADMIN_FILE = "initial-admin-token";

  private final Tokens tokens;
  private final HostEnrolments hosts;
  private final AdminAccounts admins;
  private final EnrolDesk desk;
  private final Authenticator authenticator;
  private final AuditTrail trail;

  private Access(
      Tokens tokens,
      HostEnrolments hosts,
      AdminAccounts admins,
      EnrolDesk desk,
      Authenticator authenticator,
      AuditTrail trail) {
    this.tokens = tokens;
    this.hosts = hosts;
    this.admins = admins;
    this.desk = desk;
    this.authenticator = authenticator;
    this.trail = trail;
  }

  /**
   * Access on {@code store} with certificates from {@code issuer}, every change recorded in {@code
   * trail}; with no admin yet, writes the first admin's token to {@code
   * dataDir/initial-admin-token}.
   *
   * @param enrolsPerMinute Enrol calls allowed per peer address and minute
   */
  public static Access open(
      AccessStore store,
      Issuer issuer,
      Clock clock,
      AccessListener listener,
      AuditTrail trail,
      Path dataDir,
      int enrolsPerMinute)
      throws IOException {
    Authenticator authenticator = new Authenticator(store, issuer.ca().certificate(), clock);
    Tokens tokens = new Tokens(store, issuer.ca().pin(), clock, trail);
    HostEnrolments hosts = new HostEnrolments(store, issuer, clock, listener, authenticator, trail);
    AdminAccounts admins = new AdminAccounts(store, tokens, issuer, clock, authenticator, trail);
    admins.ensureFirstAdmin(dataDir.resolve(FIRST_ADMIN_FILE));
    return new Access(
        tokens,
        hosts,
        admins,
        new EnrolDesk(tokens, hosts, admins, clock, enrolsPerMinute),
        authenticator,
        trail);
  }

  public Tokens tokens() {
    return tokens;
  }

  public HostEnrolments hosts() {
    return hosts;
  }

  public AdminAccounts admins() {
    return admins;
  }

  public EnrolDesk desk() {
    return desk;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  /** Up to {@code limit} access events, newest first. */
  public java.util.List<io.pulley.v1.AuditEvent> events(int limit) {
    return trail.accessEvents(limit);
  }
}
