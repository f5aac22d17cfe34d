package io.pulley.controller.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite schema as ordered migrations: migration {@code i} (counting from 1) brings the
 * database from {@code PRAGMA user_version = i - 1} to {@code i}. Append new migrations at the end;
 * never edit or reorder a released one. Not thread-safe: runs once, while a store opens.
 */
final class SqliteSchema {

  private static final Logger log = LoggerFactory.getLogger(SqliteSchema.class);

  private static final List<List<String>> MIGRATIONS =
      List.of(
          // 1: revisions and the host registry.
          List.of(
              "CREATE TABLE revisions ("
                  + " application TEXT NOT NULL,"
                  + " environment TEXT NOT NULL,"
                  + " number INTEGER NOT NULL,"
                  + " content_hash TEXT NOT NULL,"
                  + " applied_by TEXT NOT NULL,"
                  + " applied_at INTEGER NOT NULL,"
                  + " origin INTEGER NOT NULL,"
                  + " restores INTEGER NOT NULL,"
                  + " body BLOB NOT NULL,"
                  + " PRIMARY KEY (application, environment, number))",
              "CREATE TABLE hosts (host_id TEXT NOT NULL PRIMARY KEY, body BLOB NOT NULL)"),
          // 2: application secrets (generated passwords, deploy keys), never part of a revision.
          List.of(
              "CREATE TABLE secrets ("
                  + " application TEXT NOT NULL,"
                  + " environment TEXT NOT NULL,"
                  + " name TEXT NOT NULL,"
                  + " value TEXT NOT NULL,"
                  + " PRIMARY KEY (application, environment, name))"),
          // 3: where a secret came from and when; rows from before could only be generated ones.
          List.of(
              "ALTER TABLE secrets ADD COLUMN generated INTEGER NOT NULL DEFAULT 1",
              "ALTER TABLE secrets ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0",
              "ALTER TABLE secrets ADD COLUMN updated_by TEXT NOT NULL DEFAULT 'controller'"),
          // 4: rollouts across hosts, the audit trail, and releases tracking must not retry.
          List.of(
              "CREATE TABLE rollouts ("
                  + " application TEXT NOT NULL,"
                  + " environment TEXT NOT NULL,"
                  + " revision INTEGER NOT NULL,"
                  + " body BLOB NOT NULL,"
                  + " PRIMARY KEY (application, environment, revision))",
              "CREATE TABLE events ("
                  + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  + " application TEXT NOT NULL,"
                  + " environment TEXT NOT NULL,"
                  + " at INTEGER NOT NULL,"
                  + " body BLOB NOT NULL)",
              "CREATE INDEX events_by_app ON events (application, environment, id)",
              "CREATE TABLE quarantine ("
                  + " application TEXT NOT NULL,"
                  + " environment TEXT NOT NULL,"
                  + " ref TEXT NOT NULL,"
                  + " commit_id TEXT NOT NULL,"
                  + " at INTEGER NOT NULL,"
                  + " PRIMARY KEY (application, environment, ref, commit_id))"),
          // 5: secret values sealed with the secrets key; SqliteSecretTables.sealPlaintext then
          // seals the plaintext ones and drops their column, in this migration's transaction.
          List.of("ALTER TABLE secrets ADD COLUMN sealed BLOB"),
          // 6: who may reach the fleet: bootstrap tokens (hashes only), hosts' enrolments with
          // their bound labels and key fingerprints, admins and their keys.
          List.of(
              "CREATE TABLE tokens ("
                  + " id TEXT NOT NULL PRIMARY KEY,"
                  + " secret_hash TEXT NOT NULL,"
                  + " uses_left INTEGER NOT NULL,"
                  + " body BLOB NOT NULL)",
              "CREATE TABLE enrolments ("
                  + " host_id TEXT NOT NULL PRIMARY KEY,"
                  + " fingerprint TEXT NOT NULL,"
                  + " previous_fingerprint TEXT NOT NULL DEFAULT '',"
                  + " body BLOB NOT NULL)",
              "CREATE INDEX enrolments_by_key ON enrolments (fingerprint)",
              "CREATE TABLE admins (name TEXT NOT NULL PRIMARY KEY, body BLOB NOT NULL)",
              "CREATE TABLE admin_keys ("
                  + " fingerprint TEXT NOT NULL PRIMARY KEY,"
                  + " name TEXT NOT NULL REFERENCES admins (name) ON DELETE CASCADE)"),
          // 7: the SSH host keys of Git servers, pinned or trusted on first use, by host:port.
          List.of(
              "CREATE TABLE ssh_host_keys ("
                  + " host_port TEXT NOT NULL PRIMARY KEY,"
                  + " host_key TEXT NOT NULL,"
                  + " at INTEGER NOT NULL)"),
          // 8: commands run once in an environment, ever: their first success, by resource id.
          List.of(
              "CREATE TABLE commands_done ("
                  + " application TEXT NOT NULL,"
                  + " environment TEXT NOT NULL,"
                  + " resource_id TEXT NOT NULL,"
                  + " revision INTEGER NOT NULL,"
                  + " host_id TEXT NOT NULL,"
                  + " at INTEGER NOT NULL,"
                  + " PRIMARY KEY (application, environment, resource_id))"));

  /** The version from which secret values are sealed. */
  static final int SEALED_SECRETS = 5;

  /** The schema version this code writes and reads. */
  static final int CURRENT_VERSION = MIGRATIONS.size();

  private SqliteSchema() {}

  /**
   * Brings the database up to {@link #CURRENT_VERSION}. Each migration runs in its own IMMEDIATE
   * transaction and re-reads the version inside it, so two processes opening one file at once do
   * not both migrate.
   *
   * @throws StoreException if the file was written by a newer Pulley
   */
  static void migrate(Connection connection, Path file, SecretCipher cipher) throws SQLException {
    migrate(connection, file, cipher, CURRENT_VERSION);
  }

  /** Brings the database up to {@code version}; tests make older databases with it. */
  static void migrate(Connection connection, Path file, SecretCipher cipher, int version)
      throws SQLException {
    int found = userVersion(connection);
    rejectNewer(found, file);
    while (found < version) {
      found = SqliteTransaction.immediate(connection, () -> migrateOnce(connection, file, cipher));
      log.info("store schema migrated file={} version={}", file, found);
    }
  }

  // Re-reads the version inside the transaction: another process may have migrated meanwhile.
  private static int migrateOnce(Connection connection, Path file, SecretCipher cipher)
      throws SQLException {
    int found = userVersion(connection);
    rejectNewer(found, file);
    if (found == CURRENT_VERSION) {
      return found;
    }
    try (Statement statement = connection.createStatement()) {
      for (String sql : MIGRATIONS.get(found)) {
        statement.execute(sql);
      }
      if (found + 1 == SEALED_SECRETS) {
        new SqliteSecretTables(connection, cipher).sealPlaintext();
      }
      // PRAGMA takes no bind parameters; the value is our own int.
      statement.execute("PRAGMA user_version = " + (found + 1));
    }
    return found + 1;
  }

  static int userVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("PRAGMA user_version")) {
      row.next();
      return row.getInt(1);
    }
  }

  static void rejectNewer(int found, Path file) {
    if (found > CURRENT_VERSION) {
      throw new StoreException(
          "database "
              + file
              + " has schema version "
              + found
              + " but this Pulley understands at most version "
              + CURRENT_VERSION
              + "; it was written by a newer Pulley: upgrade the controller");
    }
  }
}
