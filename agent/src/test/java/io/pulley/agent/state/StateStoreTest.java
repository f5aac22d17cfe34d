package io.pulley.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  @TempDir Path dataDir;

  @Test
  void newStore_isEmpty() throws Exception {
    StateStore store = new StateStore(dataDir);

    assertThat(store.plan()).isEmpty();
    assertThat(store.appliedPlanId()).isEmpty();
    assertThat(store.lastReport()).isEmpty();
    assertThat(store.pendingReport()).isEmpty();
  }

  @Test
  void savedState_survivesANewStoreOnTheSameDir() throws Exception {
    HostPlan plan = HostPlan.newBuilder().setPlanId("p1").setHostId("h").build();
    ApplyReport report = ApplyReport.newBuilder().setPlanId("p1").build();
    StateStore first = new StateStore(dataDir);
    first.savePlan(plan);
    first.markApplied("p1");
    first.saveReport(report);

    StateStore second = new StateStore(dataDir);

    assertThat(second.plan()).contains(plan);
    assertThat(second.appliedPlanId()).isEqualTo("p1");
    assertThat(second.lastReport()).contains(report);
    assertThat(second.pendingReport()).contains(report);
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temp files left")
          .containsExactlyInAnyOrder(
              "plan.pb", "applied-plan-id", "last-report.pb", "pending-report.pb");
    }
  }

  @Test
  void ids_areReadFromDiskOnce_thenFollowTheStoresOwnWrites() throws Exception {
    StateStore first = new StateStore(dataDir);
    first.savePlan(HostPlan.newBuilder().setPlanId("p1").build());
    first.markApplied("p1");
    StateStore store = new StateStore(dataDir);

    assertThat(store.planId()).contains("p1");
    assertThat(store.appliedPlanId()).isEqualTo("p1");
    // Each poll asks; what it reads from disk once is not read again.
    Files.delete(dataDir.resolve("plan.pb"));
    Files.delete(dataDir.resolve("applied-plan-id"));
    assertThat(store.planId()).contains("p1");
    assertThat(store.appliedPlanId()).isEqualTo("p1");

    store.savePlan(HostPlan.newBuilder().setPlanId("p2").build());
    assertThat(store.planId()).contains("p2");
    assertThat(store.appliedPlanId()).isEqualTo("p1");
    store.markApplied("p2");
    assertThat(store.appliedPlanId()).isEqualTo("p2");
    assertThat(new StateStore(dataDir).planId()).contains("p2");
  }

  @Test
  void planId_withoutAPlan_isEmpty() throws Exception {
    assertThat(new StateStore(dataDir).planId()).isEmpty();
  }

  @Test
  void reportDelivered_removesOnlyThePendingCopy() throws Exception {
    StateStore store = new StateStore(dataDir);
    store.saveReport(ApplyReport.newBuilder().setPlanId("p1").build());

    store.reportDelivered();

    assertThat(store.pendingReport()).isEmpty();
    assertThat(store.lastReport()).isPresent();
  }

  @Test
  void unreadablePlan_isTreatedAsAbsent() throws Exception {
    Files.write(dataDir.resolve("plan.pb"), new byte[] {(byte) 0xff, 0x01});

    assertThat(new StateStore(dataDir).plan()).isEmpty();
  }

  @Test
  void lock_secondHolder_failsFastNamingTheDir() throws Exception {
    DataDirLock lock = DataDirLock.acquire(dataDir);
    try {
      assertThatThrownBy(() -> DataDirLock.acquire(dataDir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(dataDir.toString())
          .hasMessageContaining("another pulley-agent");
    } finally {
      lock.close();
    }
  }

  @Test
  void lock_released_canBeTakenAgain() throws Exception {
    DataDirLock.acquire(dataDir).close();

    DataDirLock again = DataDirLock.acquire(dataDir);
    again.close();

    assertThat(dataDir.resolve("agent.lock")).exists();
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void newStore_dirAndFilesAreRootsAlone() throws Exception {
    Path dir = dataDir.resolve("agent");
    StateStore store = new StateStore(dir);
    store.savePlan(HostPlan.newBuilder().setPlanId("p1").build());
    store.markApplied("p1");
    store.saveReport(ApplyReport.newBuilder().setPlanId("p1").build());

    assertThat(mode(dir)).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName() + " " + uncheckedMode(f)))
          .containsExactlyInAnyOrder(
              "plan.pb rw-------",
              "applied-plan-id rw-------",
              "last-report.pb rw-------",
              "pending-report.pb rw-------");
    }
  }

  @Test
  void newStore_tightensWhatAnOlderInstallLeftOpen() throws Exception {
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path plan = Files.write(dataDir.resolve("plan.pb"), new byte[0]);
    Files.setPosixFilePermissions(plan, PosixFilePermissions.fromString("rw-r--r--"));

    new StateStore(dataDir);

    assertThat(mode(dataDir)).isEqualTo("rwx------");
    assertThat(mode(plan)).isEqualTo("rw-------");
  }

  private static String uncheckedMode(Path p) {
    try {
      return mode(p);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
