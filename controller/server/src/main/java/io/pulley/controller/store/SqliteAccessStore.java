package io.pulley.controller.store;

import io.pulley.v1.AdminAccount;
import io.pulley.v1.Enrolment;
import io.pulley.v1.TokenInfo;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/** {@link AccessStore} in the same SQLite file and under the same lock as {@link SqliteStore}. */
final class SqliteAccessStore implements AccessStore {

  /** Runs work under the store's lock, turning SQL failures into a {@link StoreException}. */
  interface Locked {
    <T> T run(String operation, SqliteTransaction.SqlWork<T> work);
  }

  private final Connection connection;
  private final SqliteAccessTables tables;
  private final Locked locked;

  SqliteAccessStore(Connection connection, Locked locked) {
    this.connection = connection;
    this.tables = new SqliteAccessTables(connection);
    this.locked = locked;
  }

  @Override
  public void putToken(TokenInfo token, String secretHash) {
    locked.run(
        "store token " + token.getId(),
        () -> {
          tables.insertToken(token, secretHash);
          return null;
        });
  }

  @Override
  public Optional<StoredToken> token(String id) {
    return locked.run("read token " + id, () -> tables.token(id));
  }

  @Override
  public List<TokenInfo> tokens() {
    return locked.run("list tokens", tables::tokens);
  }

  @Override
  public boolean deleteToken(String id) {
    return locked.run("delete token " + id, () -> tables.deleteToken(id));
  }

  @Override
  public boolean enrolWithToken(String tokenId, Enrolment enrolment) {
    return withUseOf(
        tokenId, "enrol host " + enrolment.getHostId(), () -> tables.putEnrolment(enrolment));
  }

  @Override
  public boolean addAdminWithToken(String tokenId, AdminAccount admin, String keyFingerprint) {
    return withUseOf(
        tokenId,
        "add admin " + admin.getName(),
        () -> {
          tables.putAdmin(admin);
          tables.putAdminKey(admin.getName(), keyFingerprint, "");
        });
  }

  /** A write that needs no result, for {@link #withUseOf}. */
  @FunctionalInterface
  private interface Write {
    void run() throws java.sql.SQLException;
  }

  /** Takes one use of the token and writes, in one transaction; false if no use is left. */
  private boolean withUseOf(String tokenId, String operation, Write write) {
    return locked.run(
        operation,
        () ->
            SqliteTransaction.immediate(
                connection,
                () -> {
                  if (!tables.takeUse(tokenId)) {
                    return false;
                  }
                  write.run();
                  return true;
                }));
  }

  @Override
  public void putEnrolment(Enrolment enrolment) {
    locked.run(
        "store enrolment of " + enrolment.getHostId(),
        () -> {
          tables.putEnrolment(enrolment);
          return null;
        });
  }

  @Override
  public Optional<Enrolment> enrolment(String hostId) {
    return locked.run("read enrolment of " + hostId, () -> tables.enrolment("host_id", hostId));
  }

  @Override
  public Optional<Enrolment> enrolmentByKey(String fingerprint) {
    return locked.run("find enrolment by key", () -> tables.enrolment("key", fingerprint));
  }

  @Override
  public List<Enrolment> enrolments() {
    return locked.run("list enrolments", tables::enrolments);
  }

  @Override
  public boolean removeEnrolment(String hostId) {
    return locked.run(
        "remove host " + hostId,
        () -> SqliteTransaction.immediate(connection, () -> tables.removeEnrolment(hostId)));
  }

  @Override
  public void putAdmin(AdminAccount admin) {
    locked.run(
        "store admin " + admin.getName(),
        () -> {
          tables.putAdmin(admin);
          return null;
        });
  }

  @Override
  public Optional<AdminAccount> admin(String name) {
    return locked.run("read admin " + name, () -> tables.admin(name));
  }

  @Override
  public List<AdminAccount> admins() {
    return locked.run("list admins", tables::admins);
  }

  @Override
  public void putAdminKey(String name, String fingerprint, String replaced) {
    locked.run(
        "bind a key to admin " + name,
        () ->
            SqliteTransaction.immediate(
                connection,
                () -> {
                  tables.putAdminKey(name, fingerprint, replaced);
                  return null;
                }));
  }

  @Override
  public Optional<String> adminOfKey(String fingerprint) {
    return locked.run("find admin by key", () -> tables.adminOfKey(fingerprint));
  }
}
