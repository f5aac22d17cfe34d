package io.pulley.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.HostHealth;
import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {

  @TempDir Path dataDir;

  private SqliteStore store;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dataDir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void appendRevision_numbersFromOneAndIgnoresTheGivenNumber() {
    Revision first =
        store.appendRevision(
            Revisions.of("shop", "staging", "a").toBuilder().setNumber(42).build());
    Revision second = store.appendRevision(Revisions.of("shop", "staging", "b"));

    assertThat(first.getNumber()).isEqualTo(1);
    assertThat(second.getNumber()).isEqualTo(2);
    assertThat(second)
        .isEqualTo(Revisions.of("shop", "staging", "b").toBuilder().setNumber(2).build());
  }

  @Test
  void appendRevision_numbersEachApplicationAndEnvironmentIndependently() {
    store.appendRevision(Revisions.of("shop", "staging", "a"));
    store.appendRevision(Revisions.of("shop", "staging", "b"));

    assertThat(store.appendRevision(Revisions.of("shop", "production", "a")).getNumber())
        .isEqualTo(1);
    assertThat(store.appendRevision(Revisions.of("blog", "staging", "a")).getNumber()).isEqualTo(1);
    assertThat(store.appendRevision(Revisions.of("shop", "staging", "c")).getNumber()).isEqualTo(3);
  }

  @Test
  void appendRevision_emptyApplication_failsNamingTheField() {
    assertThatThrownBy(() -> store.appendRevision(Revisions.of("", "staging", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("application");
  }

  @Test
  void revision_byNumber_returnsExactlyWhatAppendReturned() {
    Revision stored = store.appendRevision(Revisions.of("shop", "staging", "a"));
    store.appendRevision(Revisions.of("shop", "staging", "b"));

    assertThat(store.revision(new AppEnv("shop", "staging"), 1)).contains(stored);
    assertThat(store.revision(new AppEnv("shop", "staging"), 3)).isEmpty();
    assertThat(store.revision(new AppEnv("shop", "production"), 1)).isEmpty();
  }

  @Test
  void currentRevision_isTheNewest_orEmptyWithoutHistory() {
    store.appendRevision(Revisions.of("shop", "staging", "a"));
    Revision newest = store.appendRevision(Revisions.of("shop", "staging", "b"));

    assertThat(store.currentRevision(new AppEnv("shop", "staging"))).contains(newest);
    assertThat(store.currentRevision(new AppEnv("shop", "production"))).isEmpty();
  }

  @Test
  void listRevisions_newestFirst_upToLimit() {
    for (String content : List.of("a", "b", "c", "d")) {
      store.appendRevision(Revisions.of("shop", "staging", content));
    }

    assertThat(store.listRevisions(new AppEnv("shop", "staging"), 3))
        .extracting(Revision::getNumber)
        .containsExactly(4L, 3L, 2L);
    assertThat(store.listRevisions(new AppEnv("shop", "staging"), 100)).hasSize(4);
    assertThat(store.listRevisions(new AppEnv("blog", "staging"), 100)).isEmpty();
  }

  @Test
  void listRevisions_limitBelowOne_failsWithTheValue() {
    assertThatThrownBy(() -> store.listRevisions(new AppEnv("shop", "staging"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }

  @Test
  void currentRevisions_newestOfEach_orderedByApplicationThenEnvironment() {
    store.appendRevision(Revisions.of("shop", "staging", "a"));
    Revision shopStaging = store.appendRevision(Revisions.of("shop", "staging", "b"));
    Revision shopProduction = store.appendRevision(Revisions.of("shop", "production", "a"));
    store.appendRevision(Revisions.of("blog", "staging", "a"));
    Revision blogStaging = store.appendRevision(Revisions.of("blog", "staging", "b"));

    assertThat(store.currentRevisions()).containsExactly(blogStaging, shopProduction, shopStaging);
  }

  @Test
  void appendRevision_fillsTheQueryColumnsFromTheRevision() throws Exception {
    store.appendRevision(
        Revisions.of("shop", "staging", "a").toBuilder()
            .setOrigin(RevisionOrigin.REVISION_ORIGIN_ROLLBACK)
            .setRestores(7)
            .build());

    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME));
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT application, environment, number, content_hash, applied_by, applied_at,"
                    + " origin, restores FROM revisions")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString("application")).isEqualTo("shop");
      assertThat(row.getString("environment")).isEqualTo("staging");
      assertThat(row.getLong("number")).isEqualTo(1);
      assertThat(row.getString("content_hash")).isEqualTo("hash-of-a");
      assertThat(row.getString("applied_by")).isEqualTo("alice");
      assertThat(row.getLong("applied_at")).isEqualTo(1_700_000_000_000L);
      assertThat(row.getInt("origin")).isEqualTo(RevisionOrigin.REVISION_ORIGIN_ROLLBACK_VALUE);
      assertThat(row.getLong("restores")).isEqualTo(7);
    }
  }

  @Test
  void putHost_insertsThenReplaces_andHostsAreOrderedById() {
    store.putHost(host("web-2", HostHealth.HOST_HEALTH_HEALTHY));
    store.putHost(host("web-1", HostHealth.HOST_HEALTH_HEALTHY));
    store.putHost(host("web-2", HostHealth.HOST_HEALTH_DEGRADED));

    assertThat(store.host("web-2")).contains(host("web-2", HostHealth.HOST_HEALTH_DEGRADED));
    assertThat(store.host("web-3")).isEmpty();
    assertThat(store.hosts())
        .containsExactly(
            host("web-1", HostHealth.HOST_HEALTH_HEALTHY),
            host("web-2", HostHealth.HOST_HEALTH_DEGRADED));
  }

  @Test
  void removeEnrolment_forgetsAHostKnownOnlyFromItsReports_asPlaintextFleetsHaveThem() {
    store.putHost(host("web-1", HostHealth.HOST_HEALTH_HEALTHY));

    assertThat(store.access().removeEnrolment("web-1")).isTrue();
    assertThat(store.host("web-1")).isEmpty();
    assertThat(store.access().removeEnrolment("web-1")).isFalse();
  }

  @Test
  void putHosts_writesTheWholeBatch_andReplacesExistingRecords() {
    store.putHost(host("web-1", HostHealth.HOST_HEALTH_HEALTHY));

    store.putHosts(
        List.of(
            host("web-1", HostHealth.HOST_HEALTH_DEGRADED),
            host("web-2", HostHealth.HOST_HEALTH_HEALTHY),
            host("web-3", HostHealth.HOST_HEALTH_APPLYING)));

    assertThat(store.hosts())
        .containsExactly(
            host("web-1", HostHealth.HOST_HEALTH_DEGRADED),
            host("web-2", HostHealth.HOST_HEALTH_HEALTHY),
            host("web-3", HostHealth.HOST_HEALTH_APPLYING));
  }

  @Test
  void putHosts_withOneInvalidHost_writesNothing() {
    assertThatThrownBy(
            () ->
                store.putHosts(
                    List.of(
                        host("web-1", HostHealth.HOST_HEALTH_HEALTHY),
                        HostState.getDefaultInstance())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.hosts()).isEmpty();
  }

  @Test
  void putHost_emptyHostId_fails() {
    assertThatThrownBy(() -> store.putHost(HostState.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host_id");
  }

  @Test
  void open_afterClose_keepsRevisionsAndHosts() {
    Revision revision = store.appendRevision(Revisions.of("shop", "staging", "a"));
    store.putHost(host("web-1", HostHealth.HOST_HEALTH_HEALTHY));
    store.close();

    store = SqliteStore.open(dataDir);

    assertThat(store.currentRevisions()).containsExactly(revision);
    assertThat(store.hosts()).containsExactly(host("web-1", HostHealth.HOST_HEALTH_HEALTHY));
    assertThat(store.appendRevision(Revisions.of("shop", "staging", "b")).getNumber()).isEqualTo(2);
  }

  @Test
  void open_missingDirectories_createsThemAndTheDatabase() {
    Path nested = dataDir.resolve("var/lib/pulley");

    try (SqliteStore nestedStore = SqliteStore.open(nested)) {
      nestedStore.appendRevision(Revisions.of("shop", "staging", "a"));
    }

    assertThat(nested.resolve(SqliteStore.FILE_NAME)).isRegularFile();
  }

  @Test
  void open_databaseFromANewerPulley_failsNamingBothVersions() throws Exception {
    Path newer = dataDir.resolve("newer");
    Files.createDirectories(newer);
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + newer.resolve(SqliteStore.FILE_NAME));
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA user_version = 99");
    }

    assertThatThrownBy(() -> SqliteStore.open(newer))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("at most version " + SqliteSchema.CURRENT_VERSION)
        .hasMessageContaining("newer Pulley");
  }

  @Test
  void open_currentDatabase_isAtTheCurrentSchemaVersion() throws Exception {
    try (Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME))) {
      assertThat(SqliteSchema.userVersion(connection)).isEqualTo(SqliteSchema.CURRENT_VERSION);
    }
  }

  @Test
  void open_leavesTheFileInWalJournalMode() throws Exception {
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME));
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("PRAGMA journal_mode")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void close_twice_isHarmless_andLaterCallsFailFast() {
    store.close();
    store.close();

    assertThatThrownBy(() -> store.hosts())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static HostState host(String hostId, HostHealth health) {
    return HostState.newBuilder().setHostId(hostId).setHealth(health).build();
  }
}
