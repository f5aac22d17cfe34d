package io.pulley.controller.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs work in a SQLite IMMEDIATE transaction: the write lock is taken at BEGIN, so a read followed
 * by a write (MAX(number), then INSERT) cannot interleave with another connection's. Issued as
 * plain statements, leaving the JDBC connection in auto-commit mode, because the driver's own
 * non-auto-commit mode would begin the next transaction right after each commit and so hold the
 * write lock between calls. Not thread-safe: callers own the connection.
 */
final class SqliteTransaction {

  /** A unit of JDBC work; exists because {@link java.util.function.Supplier} cannot throw. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  private SqliteTransaction() {}

  static <T> T immediate(Connection connection, SqlWork<T> work) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run();
        statement.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(statement, e);
        throw e;
      }
    }
  }

  // After a failed COMMIT SQLite may already have rolled back; then ROLLBACK itself fails, and
  // that second failure only matters as a note on the first.
  private static void rollback(Statement statement, Exception cause) {
    try {
      statement.execute("ROLLBACK");
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
