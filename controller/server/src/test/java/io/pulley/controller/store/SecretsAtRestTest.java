package io.pulley.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.controller.manifest.AppEnv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret values are sealed in the database with a key kept in a file of its own. */
class SecretsAtRestTest {
  private static final AppEnv SHOP = new AppEnv("shop", "prod");
  private static final String VALUE = "correct-horse-battery-staple-0123456789";

  @TempDir Path dataDir;

  private Path database() {
    return dataDir.resolve(SqliteStore.FILE_NAME);
  }

  /** Every file of the database (with WAL and journal, if left), as text. */
  private String rawDatabase() throws Exception {
    StringBuilder raw = new StringBuilder();
    try (Stream<Path> files = Files.list(dataDir)) {
      for (Path f :
          files.filter(f -> f.getFileName().toString().startsWith("pulley.db")).toList()) {
        raw.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    return raw.toString();
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void putSecret_databaseFileHoldsNoValue_andTheValueReadsBack() throws Exception {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putSecret(SHOP, "db", VALUE, Instant.EPOCH, "ann");
      assertThat(rawDatabase()).doesNotContain(VALUE);
    }

    assertThat(rawDatabase()).contains("shop").doesNotContain(VALUE);
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.secrets(SHOP)).containsExactly(Map.entry("db", VALUE));
    }
  }

  @Test
  void open_firstStart_createsAnOwnerOnlyKeyBesideTheDatabase() throws Exception {
    SqliteStore.open(dataDir).close();
    Path key = SqliteStore.defaultSecretsKey(dataDir);

    assertThat(key).hasSize(32);
    assertThat(mode(key)).isEqualTo("rw-------");
    assertThat(mode(key.getParent())).isEqualTo("rwx------");
  }

  @Test
  void open_plaintextSecretsOfAnOlderSchema_areSealedOnFirstStart() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database());
        Statement statement = connection.createStatement()) {
      SqliteSchema.migrate(connection, database(), null, SqliteSchema.SEALED_SECRETS - 1);
      statement.execute(
          "INSERT INTO secrets (application, environment, name, value)"
              + " VALUES ('shop', 'prod', 'db', '"
              + VALUE
              + "')");
    }
    assertThat(rawDatabase()).contains(VALUE);

    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.secrets(SHOP)).containsExactly(Map.entry("db", VALUE));
    }

    assertThat(rawDatabase()).doesNotContain(VALUE);
  }

  @Test
  void open_keyMissingWhileSecretsAreSealed_failsInsteadOfMakingANewKey() throws Exception {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putSecret(SHOP, "db", VALUE, Instant.EPOCH, "ann");
    }
    Path key = SqliteStore.defaultSecretsKey(dataDir);
    Files.delete(key);

    assertThatThrownBy(() -> SqliteStore.open(dataDir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("secrets key " + key + " is missing but the store holds 1 secrets");
    assertThat(key).doesNotExist();
  }

  @Test
  void open_withAnotherKey_failsAtStartNamingTheSecret() throws Exception {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putSecret(SHOP, "db", VALUE, Instant.EPOCH, "ann");
    }
    Path other = dataDir.resolve("other.key");
    Files.write(other, new byte[32]);

    assertThatThrownBy(() -> SqliteStore.open(dataDir, other))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("secret db of")
        .hasMessageContaining("wrong key")
        .hasMessageNotContaining(VALUE);
  }

  @Test
  void secrets_aValueCopiedIntoAnotherRow_doesNotOpen() throws Exception {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putSecret(SHOP, "db", VALUE, Instant.EPOCH, "ann");
      store.putSecret(new AppEnv("blog", "prod"), "db", "other", Instant.EPOCH, "ann");
    }
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database());
        Statement statement = connection.createStatement()) {
      statement.execute(
          "UPDATE secrets SET sealed = (SELECT sealed FROM secrets WHERE application = 'shop')"
              + " WHERE application = 'blog'");
    }

    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.secrets(SHOP)).containsExactly(Map.entry("db", VALUE));
      assertThatThrownBy(() -> store.secrets(new AppEnv("blog", "prod")))
          .hasMessageContaining("secret db of");
    }
  }
}
