package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL of secrets, on the store's one connection. Not thread-safe: {@link SqliteStore} calls it
 * under its lock.
 */
final class SqliteSecretTables {
  private static final String SELECT_VALUES =
      "SELECT name, sealed FROM secrets WHERE application = ? AND environment = ? ORDER BY name";

  private static final String SELECT_ENTRIES =
      "SELECT name, generated, updated_at, updated_by FROM secrets"
          + " WHERE application = ? AND environment = ? ORDER BY name";

  private static final String SELECT_ONE =
      "SELECT 1 FROM secrets WHERE application = ? AND environment = ? AND name = ?";

  private static final String INTO =
      " INTO secrets (application, environment, name, sealed, generated, updated_at, updated_by)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private static final String SELECT_ANY =
      "SELECT application, environment, name, sealed FROM secrets LIMIT 1";

  private final Connection connection;
  private final SecretCipher cipher;

  SqliteSecretTables(Connection connection, SecretCipher cipher) {
    this.connection = connection;
    this.cipher = cipher;
  }

  /** The values of an application's secrets, by name. */
  Map<String, String> values(AppEnv app) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_VALUES)) {
      StoreRows.bindAppEnv(select, app);
      Map<String, String> values = new TreeMap<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String name = rows.getString(1);
          values.put(name, cipher.open(app, name, rows.getBytes(2)));
        }
      }
      return Collections.unmodifiableMap(values);
    }
  }

  /** Names, sources and times of an application's secrets, never their values. */
  List<SecretEntry> entries(AppEnv app) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_ENTRIES)) {
      StoreRows.bindAppEnv(select, app);
      List<SecretEntry> entries = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          entries.add(
              new SecretEntry(
                  rows.getString(1),
                  rows.getInt(2) != 0,
                  Instant.ofEpochMilli(rows.getLong(3)),
                  rows.getString(4)));
        }
      }
      return entries;
    }
  }

  boolean exists(AppEnv app, String name) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_ONE)) {
      StoreRows.bindAppEnv(select, app);
      select.setString(3, name);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  /**
   * Writes one secret with {@code insert} ("INSERT OR IGNORE", "INSERT OR REPLACE"); true if a row
   * was written.
   */
  boolean insert(String insert, AppEnv app, SecretEntry entry, String value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert + INTO)) {
      StoreRows.bindAppEnv(statement, app);
      statement.setString(3, entry.name());
      statement.setBytes(4, cipher.seal(app, entry.name(), value));
      statement.setInt(5, entry.generated() ? 1 : 0);
      statement.setLong(6, entry.updatedAt().toEpochMilli());
      statement.setString(7, entry.updatedBy());
      return statement.executeUpdate() == 1;
    }
  }

  /**
   * Fails at once, naming the secret, if the stored secrets were sealed with another key: better at
   * start than at the first plan.
   */
  void checkKey() throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_ANY);
        ResultSet row = select.executeQuery()) {
      if (row.next()) {
        cipher.open(
            new AppEnv(row.getString(1), row.getString(2)), row.getString(3), row.getBytes(4));
      }
    }
  }

  /** How many secrets are stored, in any application. */
  static int count(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM secrets");
        ResultSet row = select.executeQuery()) {
      return row.next() ? row.getInt(1) : 0;
    }
  }

  /**
   * The migration to sealed values: seals every plaintext value into the new {@code sealed} column,
   * then drops the plaintext column. Runs inside the migration's transaction, so either every value
   * is sealed or none is.
   */
  void sealPlaintext() throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT application, environment, name, value FROM secrets");
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE secrets SET sealed = ?4"
                    + " WHERE application = ?1 AND environment = ?2 AND name = ?3");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        AppEnv app = new AppEnv(rows.getString(1), rows.getString(2));
        StoreRows.bindAppEnv(update, app);
        update.setString(3, rows.getString(3));
        update.setBytes(4, cipher.seal(app, rows.getString(3), rows.getString(4)));
        update.executeUpdate();
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE secrets DROP COLUMN value");
    }
  }
}
