package io.pulley.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.manifest.AppEnv;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands done once in an environment, ever, as a controller finds them on restart. */
class SqliteStoreCommandsTest {
  private static final AppEnv SHOP = new AppEnv("shop", "production");
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

  @TempDir Path dataDir;

  @Test
  void theFirstSuccessIsKept_perEnvironment_acrossAReopen() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.recordCommandDone(new CommandDone(SHOP, "command:init-db", 3, "web-1", AT)))
          .isTrue();
      assertThat(
              store.recordCommandDone(
                  new CommandDone(SHOP, "command:init-db", 4, "web-2", AT.plusSeconds(60))))
          .isFalse();
      store.recordCommandDone(
          new CommandDone(new AppEnv("shop", "staging"), "command:init-db", 1, "stage-1", AT));
    }
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.commandsDone())
          .containsExactly(
              new CommandDone(SHOP, "command:init-db", 3, "web-1", AT),
              new CommandDone(new AppEnv("shop", "staging"), "command:init-db", 1, "stage-1", AT));
    }
  }

  @Test
  void aDatabaseOfTheSchemaBefore_getsTheTableOnOpen() throws Exception {
    Path file = dataDir.resolve(SqliteStore.FILE_NAME);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      SqliteSchema.migrate(connection, file, null, SqliteSchema.CURRENT_VERSION - 1);
    }

    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.commandsDone()).isEmpty();
      assertThat(store.recordCommandDone(new CommandDone(SHOP, "command:seed", 1, "web-1", AT)))
          .isTrue();
    }
  }
}
