package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of revisions and host records, on the store's one connection. Not thread-safe: {@link
 * SqliteStore} calls it under its lock, and in a transaction where a change takes several
 * statements.
 */
final class SqliteRevisionTables {
  private final Connection connection;

  SqliteRevisionTables(Connection connection) {
    this.connection = connection;
  }

  /** Stores {@code revision} with the next number of its application; in a transaction. */
  Revision insertNext(Revision revision) throws SQLException {
    long next;
    try (PreparedStatement max = connection.prepareStatement(StoreRows.MAX_NUMBER)) {
      max.setString(1, revision.getApplication());
      max.setString(2, revision.getEnvironment());
      try (ResultSet row = max.executeQuery()) {
        row.next();
        next = row.getLong(1) + 1;
      }
    }
    Revision stored = revision.toBuilder().setNumber(next).build();
    try (PreparedStatement insert = connection.prepareStatement(StoreRows.INSERT_REVISION)) {
      StoreRows.bindRevision(insert, stored);
      insert.executeUpdate();
    }
    return stored;
  }

  Optional<Revision> revision(AppEnv app, long number) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(StoreRows.SELECT_REVISION)) {
      StoreRows.bindAppEnv(select, app);
      select.setLong(3, number);
      return readRevisions(select).stream().findFirst();
    }
  }

  List<Revision> newestRevisions(AppEnv app, int limit) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(StoreRows.SELECT_NEWEST_REVISIONS)) {
      StoreRows.bindAppEnv(select, app);
      select.setInt(3, limit);
      return readRevisions(select);
    }
  }

  List<Revision> currentRevisions() throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(StoreRows.SELECT_CURRENT_REVISIONS)) {
      return readRevisions(select);
    }
  }

  /** Writes every record in one batch; the caller makes it one transaction. */
  Void putHosts(List<HostState> hosts) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(StoreRows.UPSERT_HOST)) {
      for (HostState host : hosts) {
        StoreRows.bindHost(upsert, host);
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
    return null;
  }

  Optional<HostState> host(String hostId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(StoreRows.SELECT_HOST)) {
      select.setString(1, hostId);
      return readHosts(select).stream().findFirst();
    }
  }

  List<HostState> hosts() throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(StoreRows.SELECT_HOSTS)) {
      return readHosts(select);
    }
  }

  private static List<Revision> readRevisions(PreparedStatement select) throws SQLException {
    List<Revision> revisions = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        revisions.add(StoreRows.revision(rows));
      }
    }
    return revisions;
  }

  private static List<HostState> readHosts(PreparedStatement select) throws SQLException {
    List<HostState> hosts = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        hosts.add(StoreRows.host(rows));
      }
    }
    return hosts;
  }
}
