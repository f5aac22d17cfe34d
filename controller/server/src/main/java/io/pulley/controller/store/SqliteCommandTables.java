package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the commands that ran once in an environment, ever, on the store's one connection. Not
 * thread-safe: {@link SqliteStore} calls it under its lock.
 */
final class SqliteCommandTables {
  // The first success stays: a second report of the same command changes nothing.
  private static final String INSERT =
      "INSERT INTO commands_done (application, environment, resource_id, revision, host_id, at)"
          + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  private static final String SELECT_ALL =
      "SELECT application, environment, resource_id, revision, host_id, at FROM commands_done"
          + " ORDER BY application, environment, resource_id";

  private final Connection connection;

  SqliteCommandTables(Connection connection) {
    this.connection = connection;
  }

  boolean insert(CommandDone done) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      StoreRows.bindAppEnv(insert, done.app());
      insert.setString(3, done.resourceId());
      insert.setLong(4, done.revision());
      insert.setString(5, done.hostId());
      insert.setLong(6, done.at().toEpochMilli());
      return insert.executeUpdate() == 1;
    }
  }

  List<CommandDone> all() throws SQLException {
    List<CommandDone> found = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_ALL);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        found.add(
            new CommandDone(
                new AppEnv(rows.getString(1), rows.getString(2)),
                rows.getString(3),
                rows.getLong(4),
                rows.getString(5),
                Instant.ofEpochMilli(rows.getLong(6))));
      }
    }
    return found;
  }
}
