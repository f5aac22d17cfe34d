package io.pulley.controller.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** How {@link SqliteStore} sets up and gives up its one connection. Stateless. */
final class SqliteConnections {
  // How long a statement waits for another process's write lock before failing.
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private SqliteConnections() {}

  /** WAL, full fsync at commit, foreign keys, secure delete, and a wait for other writers. */
  static void configure(Connection connection, Path file) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
      // WAL: readers never block the writer, and a commit appends to one file. FULL, not NORMAL:
      // in WAL mode NORMAL skips the fsync at commit, so a returned append would survive kill -9
      // but could vanish on power loss; FULL fsyncs the WAL on every commit.
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
        if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
          throw new StoreException("database " + file + " refused WAL journal mode");
        }
      }
      statement.execute("PRAGMA synchronous = FULL");
      statement.execute("PRAGMA foreign_keys = ON");
      // Deleted or replaced rows are overwritten, so no plaintext from before sealing lingers.
      statement.execute("PRAGMA secure_delete = ON");
    }
  }

  /** Closes {@code connection} if open, a failure to close added to {@code cause}. */
  static void closeQuietly(Connection connection, Exception cause) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
