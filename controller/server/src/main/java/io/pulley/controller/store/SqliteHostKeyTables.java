package io.pulley.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The SQL of the SSH host keys the controller trusts for Git servers, by "host:port", on the
 * store's one connection. Not thread-safe: {@link SqliteStore} calls it under its lock.
 */
final class SqliteHostKeyTables {
  private static final String SELECT = "SELECT host_key FROM ssh_host_keys WHERE host_port = ?";
  private static final String UPSERT =
      "INSERT INTO ssh_host_keys (host_port, host_key, at) VALUES (?, ?, ?)"
          + " ON CONFLICT (host_port) DO UPDATE SET host_key = excluded.host_key, at = excluded.at";

  private final Connection connection;

  SqliteHostKeyTables(Connection connection) {
    this.connection = connection;
  }

  Optional<String> find(String hostPort) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT)) {
      select.setString(1, hostPort);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  Void put(String hostPort, String key, Instant at) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
      upsert.setString(1, hostPort);
      upsert.setString(2, key);
      upsert.setLong(3, at.toEpochMilli());
      upsert.executeUpdate();
    }
    return null;
  }
}
