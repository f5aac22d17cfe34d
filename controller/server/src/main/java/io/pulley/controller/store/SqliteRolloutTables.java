package io.pulley.controller.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.util.Timestamps;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.Rollout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of rollouts, audit events and quarantined releases, on the store's one connection. Not
 * thread-safe: {@link SqliteStore} calls it under its lock.
 */
final class SqliteRolloutTables {
  private static final String UPSERT_ROLLOUT =
      "INSERT INTO rollouts (application, environment, revision, body) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (application, environment, revision) DO UPDATE SET body = excluded.body";

  private static final String SELECT_LATEST_ROLLOUTS =
      "SELECT r.body FROM rollouts r JOIN (SELECT application, environment,"
          + " MAX(revision) AS revision FROM rollouts GROUP BY application, environment) m"
          + " ON r.application = m.application AND r.environment = m.environment"
          + " AND r.revision = m.revision ORDER BY r.application, r.environment";

  private static final String SELECT_ROLLOUTS =
      "SELECT body FROM rollouts WHERE application = ? AND environment = ? AND revision >= ?"
          + " ORDER BY revision DESC";

  private static final String INSERT_EVENT =
      "INSERT INTO events (application, environment, at, body) VALUES (?, ?, ?, ?)";

  private static final String SELECT_EVENTS =
      "SELECT body FROM events WHERE application = ? AND environment = ?"
          + " ORDER BY id DESC LIMIT ?";

  private static final String INSERT_QUARANTINE =
      "INSERT INTO quarantine (application, environment, ref, commit_id, at)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  private static final String SELECT_QUARANTINE =
      "SELECT ref, commit_id FROM quarantine WHERE application = ? AND environment = ?";

  private final Connection connection;

  SqliteRolloutTables(Connection connection) {
    this.connection = connection;
  }

  void putRollout(Rollout rollout) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_ROLLOUT)) {
      upsert.setString(1, rollout.getApplication());
      upsert.setString(2, rollout.getEnvironment());
      upsert.setLong(3, rollout.getRevision());
      upsert.setBytes(4, rollout.toByteArray());
      upsert.executeUpdate();
    }
  }

  List<Rollout> latestRollouts() throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_LATEST_ROLLOUTS)) {
      return read(select, Rollout.parser(), "pulley.v1.Rollout");
    }
  }

  List<Rollout> rollouts(AppEnv app, long fromRevision) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_ROLLOUTS)) {
      StoreRows.bindAppEnv(select, app);
      select.setLong(3, fromRevision);
      return read(select, Rollout.parser(), "pulley.v1.Rollout");
    }
  }

  void appendEvent(AuditEvent event) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
      insert.setString(1, event.getApplication());
      insert.setString(2, event.getEnvironment());
      insert.setLong(3, Timestamps.toMillis(event.getAt()));
      insert.setBytes(4, event.toByteArray());
      insert.executeUpdate();
    }
  }

  List<AuditEvent> events(AppEnv app, int limit) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_EVENTS)) {
      StoreRows.bindAppEnv(select, app);
      select.setInt(3, limit);
      return read(select, AuditEvent.parser(), "pulley.v1.AuditEvent");
    }
  }

  void quarantine(AppEnv app, Release release, Instant at) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_QUARANTINE)) {
      StoreRows.bindAppEnv(insert, app);
      insert.setString(3, release.ref());
      insert.setString(4, release.commit());
      insert.setLong(5, at.toEpochMilli());
      insert.executeUpdate();
    }
  }

  Set<Release> quarantined(AppEnv app) throws SQLException {
    Set<Release> found = new HashSet<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_QUARANTINE)) {
      StoreRows.bindAppEnv(select, app);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(new Release(rows.getString(1), rows.getString(2)));
        }
      }
    }
    return found;
  }

  private static <T extends MessageLite> List<T> read(
      PreparedStatement select, Parser<T> parser, String type) throws SQLException {
    List<T> found = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        try {
          found.add(parser.parseFrom(rows.getBytes("body")));
        } catch (InvalidProtocolBufferException e) {
          throw new StoreException("stored row is not a valid " + type, e);
        }
      }
    }
    return found;
  }
}
