package io.pulley.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets are kept per application and environment and survive reopening the database. */
class SqliteStoreSecretsTest {

  @TempDir Path dataDir;

  @Test
  void putSecretIfAbsent_keepsTheFirstValue_andPutSecretReplacesIt() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.putSecretIfAbsent("shop", "prod", "db", "first")).isTrue();
      assertThat(store.putSecretIfAbsent("shop", "prod", "db", "second")).isFalse();
      assertThat(store.secrets("shop", "prod")).containsExactly(java.util.Map.entry("db", "first"));

      store.putSecret("shop", "prod", "db", "third");

      assertThat(store.secrets("shop", "prod")).containsEntry("db", "third");
    }
  }

  @Test
  void secrets_arePerApplicationAndEnvironment_orderedByName_andDurable() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putSecret("shop", "prod", "zeta", "z");
      store.putSecret("shop", "prod", "alpha", "a");
      store.putSecret("shop", "staging", "alpha", "other");
    }
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.secrets("shop", "prod").keySet()).containsExactly("alpha", "zeta");
      assertThat(store.secrets("shop", "staging")).containsOnlyKeys("alpha");
      assertThat(store.secrets("blog", "prod")).isEmpty();
    }
  }
}
