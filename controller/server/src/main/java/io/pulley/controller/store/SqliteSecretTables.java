package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
      "SELECT name, value FROM secrets WHERE application = ? AND environment = ? ORDER BY name";

  private static final String SELECT_ENTRIES =
      "SELECT name, generated, updated_at, updated_by FROM secrets"
          + " WHERE application = ? AND environment = ? ORDER BY name";

  private static final String SELECT_ONE =
      "SELECT 1 FROM secrets WHERE application = ? AND environment = ? AND name = ?";

  private static final String INTO =
      " INTO secrets (application, environment, name, value, generated, updated_at, updated_by)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final Connection connection;

  SqliteSecretTables(Connection connection) {
    this.connection = connection;
  }

  /** The values of an application's secrets, by name. */
  Map<String, String> values(AppEnv app) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_VALUES)) {
      StoreRows.bindAppEnv(select, app);
      Map<String, String> values = new TreeMap<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          values.put(rows.getString(1), rows.getString(2));
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
      statement.setString(4, value);
      statement.setInt(5, entry.generated() ? 1 : 0);
      statement.setLong(6, entry.updatedAt().toEpochMilli());
      statement.setString(7, entry.updatedBy());
      return statement.executeUpdate() == 1;
    }
  }
}
