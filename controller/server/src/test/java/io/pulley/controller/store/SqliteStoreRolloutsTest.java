package io.pulley.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.util.Timestamps;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutStatus;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollouts, the audit trail and quarantined releases, as the controller finds them on restart. */
class SqliteStoreRolloutsTest {

  @TempDir Path dataDir;

  @Test
  void rollouts_areKeptPerRevisionAndReplacedInPlace_acrossAReopen() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.putRollout(rollout("shop", "production", 3, RolloutStatus.ROLLOUT_STATUS_SUCCEEDED));
      store.putRollout(rollout("shop", "production", 4, RolloutStatus.ROLLOUT_STATUS_RUNNING));
      store.putRollout(rollout("shop", "production", 4, RolloutStatus.ROLLOUT_STATUS_HALTED));
      store.putRollout(rollout("shop", "production", 6, RolloutStatus.ROLLOUT_STATUS_RUNNING));
      store.putRollout(rollout("shop", "staging", 9, RolloutStatus.ROLLOUT_STATUS_RUNNING));
    }
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.rollouts(new AppEnv("shop", "production"), 4))
          .extracting(Rollout::getRevision, Rollout::getStatus)
          .containsExactly(
              tuple(6L, RolloutStatus.ROLLOUT_STATUS_RUNNING),
              tuple(4L, RolloutStatus.ROLLOUT_STATUS_HALTED));
      assertThat(store.rollouts(new AppEnv("shop", "production"), 7)).isEmpty();
      assertThat(store.rollouts(new AppEnv("blog", "production"), 1)).isEmpty();
      assertThat(store.latestRollouts())
          .extracting(r -> r.getEnvironment() + "#" + r.getRevision())
          .containsExactly("production#6", "staging#9");
    }
  }

  @Test
  void events_comeBackNewestFirst_andQuarantineByRefAndCommit_acrossAReopen() {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      store.appendEvent(event("rollout.started", 1));
      store.appendEvent(event("rollout.halted", 2));
      store.appendEvent(event("quarantine", 3));
      store.quarantine(
          new AppEnv("shop", "production"), new Release("v1.2.0", "abc"), Instant.EPOCH);
      store.quarantine(
          new AppEnv("shop", "production"),
          new Release("v1.2.0", "abc"),
          Instant.EPOCH.plusSeconds(1));
    }
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      assertThat(store.events(new AppEnv("shop", "production"), 2))
          .extracting(AuditEvent::getKind)
          .containsExactly("quarantine", "rollout.halted");
      assertThat(store.events(new AppEnv("shop", "staging"), 10)).isEmpty();
      assertThat(store.quarantined(new AppEnv("shop", "production")))
          .containsExactly(new Release("v1.2.0", "abc"));
      assertThat(store.quarantined(new AppEnv("shop", "staging"))).isEmpty();
    }
  }

  private static Rollout rollout(String app, String env, long revision, RolloutStatus status) {
    return Rollout.newBuilder()
        .setApplication(app)
        .setEnvironment(env)
        .setRevision(revision)
        .setStatus(status)
        .build();
  }

  private static AuditEvent event(String kind, long second) {
    return AuditEvent.newBuilder()
        .setApplication("shop")
        .setEnvironment("production")
        .setKind(kind)
        .setActor("controller")
        .setAt(Timestamps.fromSeconds(second))
        .build();
  }
}
