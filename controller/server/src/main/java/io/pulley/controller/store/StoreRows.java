package io.pulley.controller.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Row ↔ proto mapping and the plain SQL that every SQL store shares (SQLite now, PostgreSQL later).
 * The serialized proto in the {@code body} column is the truth; the other columns exist only to be
 * queried. Stateless and thread-safe.
 */
final class StoreRows {

  static final String INSERT_REVISION =
      "INSERT INTO revisions (application, environment, number, content_hash, applied_by,"
          + " applied_at, origin, restores, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String MAX_NUMBER =
      "SELECT COALESCE(MAX(number), 0) FROM revisions WHERE application = ? AND environment = ?";

  static final String SELECT_REVISION =
      "SELECT body FROM revisions WHERE application = ? AND environment = ? AND number = ?";

  static final String SELECT_NEWEST_REVISIONS =
      "SELECT body FROM revisions WHERE application = ? AND environment = ?"
          + " ORDER BY number DESC LIMIT ?";

  static final String SELECT_CURRENT_REVISIONS =
      "SELECT r.body FROM revisions r JOIN (SELECT application, environment, MAX(number) AS number"
          + " FROM revisions GROUP BY application, environment) m"
          + " ON r.application = m.application AND r.environment = m.environment"
          + " AND r.number = m.number ORDER BY r.application, r.environment";

  // ON CONFLICT ... DO UPDATE is understood alike by SQLite (3.24+) and PostgreSQL (9.5+).
  static final String UPSERT_HOST =
      "INSERT INTO hosts (host_id, body) VALUES (?, ?)"
          + " ON CONFLICT (host_id) DO UPDATE SET body = excluded.body";

  static final String SELECT_HOST = "SELECT body FROM hosts WHERE host_id = ?";

  static final String SELECT_HOSTS = "SELECT body FROM hosts ORDER BY host_id";

  private StoreRows() {}

  /**
   * Binds the application and environment to parameters 1 and 2, where every statement that reads
   * or writes one application's rows has them.
   */
  static void bindAppEnv(PreparedStatement statement, AppEnv app) throws SQLException {
    statement.setString(1, app.application());
    statement.setString(2, app.environment());
  }

  /** Binds every parameter of {@link #INSERT_REVISION}; the revision already has its number. */
  static void bindRevision(PreparedStatement insert, Revision revision) throws SQLException {
    insert.setString(1, revision.getApplication());
    insert.setString(2, revision.getEnvironment());
    insert.setLong(3, revision.getNumber());
    insert.setString(4, revision.getContentHash());
    insert.setString(5, revision.getAppliedBy());
    insert.setLong(6, Timestamps.toMillis(revision.getAppliedAt()));
    insert.setInt(7, revision.getOriginValue());
    insert.setLong(8, revision.getRestores());
    insert.setBytes(9, revision.toByteArray());
  }

  static void bindHost(PreparedStatement upsert, HostState host) throws SQLException {
    upsert.setString(1, host.getHostId());
    upsert.setBytes(2, host.toByteArray());
  }

  /** The revision in column {@code body} of the current row. */
  static Revision revision(ResultSet row) throws SQLException {
    try {
      return Revision.parseFrom(row.getBytes("body"));
    } catch (InvalidProtocolBufferException e) {
      throw new StoreException("stored revision is not a valid pulley.v1.Revision", e);
    }
  }

  /** The host record in column {@code body} of the current row. */
  static HostState host(ResultSet row) throws SQLException {
    try {
      return HostState.parseFrom(row.getBytes("body"));
    } catch (InvalidProtocolBufferException e) {
      throw new StoreException("stored host is not a valid pulley.v1.HostState", e);
    }
  }
}
