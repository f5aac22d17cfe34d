package io.pulley.controller.access;

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

  private Access(
      Tokens tokens,
      HostEnrolments hosts,
      AdminAccounts admins,
      EnrolDesk desk,
      Authenticator authenticator) {
    this.tokens = tokens;
    this.hosts = hosts;
    this.admins = admins;
    this.desk = desk;
    this.authenticator = authenticator;
  }

  /**
   * Access on {@code store} with certificates from {@code issuer}; with no admin yet, writes the
   * first admin's token to {@code dataDir/initial-admin-token}.
   *
   * @param enrolsPerMinute Enrol calls allowed per peer address and minute
   */
  public static Access open(
      AccessStore store,
      Issuer issuer,
      Clock clock,
      AccessListener listener,
      Path dataDir,
      int enrolsPerMinute)
      throws IOException {
    Authenticator authenticator = new Authenticator(store, issuer.ca().certificate(), clock);
    Tokens tokens = new Tokens(store, issuer.ca().pin(), clock);
    HostEnrolments hosts = new HostEnrolments(store, issuer, clock, listener, authenticator);
    AdminAccounts admins = new AdminAccounts(store, tokens, issuer, clock, authenticator);
    admins.ensureFirstAdmin(dataDir.resolve(FIRST_ADMIN_FILE));
    return new Access(
        tokens,
        hosts,
        admins,
        new EnrolDesk(tokens, hosts, admins, clock, enrolsPerMinute),
        authenticator);
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
}
