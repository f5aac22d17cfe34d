package io.pulley.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.manifest.AppEnv;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets are kept per application and environment and survive reopening the database. */
class SqliteStoreSecretsTest {

  private static final Instant T1 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant T2 = Instant.parse("2026-03-02T08:30:00.123Z");

  @TempDir Path dataDir;

  @Test
  void putSecretIfAbsent_keepsTheFirstValue_andPutSecretReplacesIt() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.putSecretIfAbsent(new AppEnv("shop", "prod"), "db", "first", T1)).isTrue();
      assertThat(store.putSecretIfAbsent(new AppEnv("shop", "prod"), "db", "second", T2)).isFalse();
      assertThat(store.secrets(new AppEnv("shop", "prod")))
          .containsExactly(Map.entry("db", "first"));

      assertThat(store.putSecret(new AppEnv("shop", "prod"), "db", "third", T2, "ann")).isFalse();

      assertThat(store.secrets(new AppEnv("shop", "prod"))).containsEntry("db", "third");
    }
  }

  @Test
  void secrets_arePerApplicationAndEnvironment_orderedByName_andDurable() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putSecret(new AppEnv("shop", "prod"), "zeta", "z", T1, "ann");
      store.putSecret(new AppEnv("shop", "prod"), "alpha", "a", T1, "ann");
      store.putSecret(new AppEnv("shop", "staging"), "alpha", "other", T1, "ann");
    }
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.secrets(new AppEnv("shop", "prod")).keySet())
          .containsExactly("alpha", "zeta");
      assertThat(store.secrets(new AppEnv("shop", "staging"))).containsOnlyKeys("alpha");
      assertThat(store.secrets(new AppEnv("blog", "prod"))).isEmpty();
    }
  }

  @Test
  void secretEntries_sayWhoSetEachSecretAndWhen_butNotItsValue() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putSecretIfAbsent(new AppEnv("shop", "prod"), "db", "generated-value", T1);
      assertThat(store.putSecret(new AppEnv("shop", "prod"), "deploy-key", "KEY", T2, "ann@laptop"))
          .isTrue();
    }
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.secretEntries(new AppEnv("shop", "prod")))
          .containsExactly(
              new SecretEntry("db", true, T1, SecretEntry.CONTROLLER),
              new SecretEntry("deploy-key", false, T2, "ann@laptop"));
      assertThat(store.secretEntries(new AppEnv("shop", "staging"))).isEmpty();
    }
  }

  @Test
  void putSecret_overAGeneratedSecret_makesItAnAdminsSecret() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putSecretIfAbsent(new AppEnv("shop", "prod"), "db", "generated-value", T1);

      assertThat(store.putSecret(new AppEnv("shop", "prod"), "db", "chosen", T2, "ann")).isFalse();

      assertThat(store.secretEntries(new AppEnv("shop", "prod")))
          .containsExactly(new SecretEntry("db", false, T2, "ann"));
      assertThat(store.putSecretIfAbsent(new AppEnv("shop", "prod"), "db", "again", T2)).isFalse();
      assertThat(store.secrets(new AppEnv("shop", "prod")))
          .containsExactly(Map.entry("db", "chosen"));
    }
  }

  @Test
  void open_migratesSecretsOfSchemaVersion2_asGeneratedOnesOfUnknownTime() throws Exception {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME));
        Statement statement = connection.createStatement()) {
      // Schema version 2 as released: the secrets table had no source or time yet.
      statement.execute(
          "CREATE TABLE revisions (application TEXT NOT NULL, environment TEXT NOT NULL,"
              + " number INTEGER NOT NULL, content_hash TEXT NOT NULL, applied_by TEXT NOT NULL,"
              + " applied_at INTEGER NOT NULL, origin INTEGER NOT NULL,"
              + " restores INTEGER NOT NULL, body BLOB NOT NULL,"
              + " PRIMARY KEY (application, environment, number))");
      statement.execute(
          "CREATE TABLE hosts (host_id TEXT NOT NULL PRIMARY KEY, body BLOB NOT NULL)");
      statement.execute(
          "CREATE TABLE secrets (application TEXT NOT NULL, environment TEXT NOT NULL,"
              + " name TEXT NOT NULL, value TEXT NOT NULL,"
              + " PRIMARY KEY (application, environment, name))");
      statement.execute(
          "INSERT INTO secrets VALUES ('shop', 'prod', 'database-password', 'old-value')");
      statement.execute("PRAGMA user_version = 2");
    }

    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.secrets(new AppEnv("shop", "prod")))
          .containsExactly(Map.entry("database-password", "old-value"));
      assertThat(store.secretEntries(new AppEnv("shop", "prod")))
          .containsExactly(
              new SecretEntry("database-password", true, Instant.EPOCH, SecretEntry.CONTROLLER));
      assertThat(store.putSecret(new AppEnv("shop", "prod"), "database-password", "new", T2, "ann"))
          .isFalse();
      assertThat(store.secretEntries(new AppEnv("shop", "prod")))
          .containsExactly(new SecretEntry("database-password", false, T2, "ann"));
    }
    try (Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME))) {
      assertThat(SqliteSchema.userVersion(connection)).isEqualTo(SqliteSchema.CURRENT_VERSION);
    }
  }
}
