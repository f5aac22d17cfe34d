package io.pulley.controller.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.pulley.v1.AdminAccount;
import io.pulley.v1.Enrolment;
import io.pulley.v1.TokenInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of tokens, enrolments and admins, on the store's one connection. Not thread-safe: {@link
 * SqliteStore} calls it under its lock.
 */
final class SqliteAccessTables {
  private static final String UPSERT_ENROLMENT =
      "INSERT INTO enrolments (host_id, fingerprint, body) VALUES (?, ?, ?)"
          + " ON CONFLICT (host_id) DO UPDATE SET"
          + " previous_fingerprint = CASE WHEN fingerprint <> excluded.fingerprint"
          + " THEN fingerprint ELSE previous_fingerprint END,"
          + " fingerprint = excluded.fingerprint, body = excluded.body";

  private final Connection connection;

  SqliteAccessTables(Connection connection) {
    this.connection = connection;
  }

  void insertToken(TokenInfo token, String secretHash) throws SQLException {
    update(
        "INSERT INTO tokens (id, secret_hash, uses_left, body) VALUES (?, ?, ?, ?)",
        token.getId(),
        secretHash,
        token.getUsesLeft(),
        token.toByteArray());
  }

  Optional<AccessStore.StoredToken> token(String id) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT body, uses_left, secret_hash FROM tokens WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        TokenInfo info =
            parse(TokenInfo.parser(), row.getBytes(1)).toBuilder()
                .setUsesLeft(row.getInt(2))
                .build();
        return Optional.of(new AccessStore.StoredToken(info, row.getString(3)));
      }
    }
  }

  List<TokenInfo> tokens() throws SQLException {
    List<TokenInfo> tokens = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement("SELECT body, uses_left FROM tokens ORDER BY id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        tokens.add(
            parse(TokenInfo.parser(), rows.getBytes(1)).toBuilder()
                .setUsesLeft(rows.getInt(2))
                .build());
      }
    }
    return tokens;
  }

  boolean deleteToken(String id) throws SQLException {
    return update("DELETE FROM tokens WHERE id = ?", id) > 0;
  }

  /** Takes one use; false if none is left. */
  boolean takeUse(String id) throws SQLException {
    return update("UPDATE tokens SET uses_left = uses_left - 1 WHERE id = ? AND uses_left > 0", id)
        > 0;
  }

  void putEnrolment(Enrolment enrolment) throws SQLException {
    update(
        UPSERT_ENROLMENT,
        enrolment.getHostId(),
        enrolment.getKeyFingerprint(),
        enrolment.toByteArray());
  }

  Optional<Enrolment> enrolment(String column, String value) throws SQLException {
    String where =
        column.equals("host_id") ? "host_id = ?1" : "fingerprint = ?1 OR previous_fingerprint = ?1";
    return one(Enrolment.parser(), "SELECT body FROM enrolments WHERE " + where, value);
  }

  List<Enrolment> enrolments() throws SQLException {
    return all(Enrolment.parser(), "SELECT body FROM enrolments ORDER BY host_id");
  }

  boolean removeEnrolment(String hostId) throws SQLException {
    // A host that reported before the fleet moved to TLS has a record but no enrolment.
    int records = update("DELETE FROM hosts WHERE host_id = ?", hostId);
    return update("DELETE FROM enrolments WHERE host_id = ?", hostId) + records > 0;
  }

  void putAdmin(AdminAccount admin) throws SQLException {
    update(
        "INSERT OR REPLACE INTO admins (name, body) VALUES (?, ?)",
        admin.getName(),
        admin.toByteArray());
  }

  Optional<AdminAccount> admin(String name) throws SQLException {
    return one(AdminAccount.parser(), "SELECT body FROM admins WHERE name = ?", name);
  }

  List<AdminAccount> admins() throws SQLException {
    return all(AdminAccount.parser(), "SELECT body FROM admins ORDER BY name");
  }

  void putAdminKey(String name, String fingerprint, String replaced) throws SQLException {
    update("DELETE FROM admin_keys WHERE fingerprint = ? AND name = ?", replaced, name);
    update(
        "INSERT OR REPLACE INTO admin_keys (fingerprint, name) VALUES (?, ?)", fingerprint, name);
  }

  Optional<String> adminOfKey(String fingerprint) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT name FROM admin_keys WHERE fingerprint = ?")) {
      select.setString(1, fingerprint);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  private int update(String sql, Object... values) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      return statement.executeUpdate();
    }
  }

  private <T extends Message> Optional<T> one(Parser<T> parser, String sql, String value)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, value);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(parse(parser, row.getBytes(1))) : Optional.empty();
      }
    }
  }

  private <T extends Message> List<T> all(Parser<T> parser, String sql) throws SQLException {
    List<T> all = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        all.add(parse(parser, rows.getBytes(1)));
      }
    }
    return all;
  }

  private static <T extends Message> T parse(Parser<T> parser, byte[] body) throws SQLException {
    try {
      return parser.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new SQLException("unreadable access record", e);
    }
  }
}
