package io.pulley.agent.apply.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.Directory;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryExecutorTest {
  @TempDir Path root;
  @TempDir Path stateDir;

  private DirectoryExecutor executor() {
    return new DirectoryExecutor(new PathGuard(List.of(root)));
  }

  private static Directory dir(Path path, String mode) {
    return Directory.newBuilder().setPath(path.toString()).setMode(mode).build();
  }

  @Test
  void converge_missingDirectory_createsItWithParentsAt0755() throws Exception {
    Path target = root.resolve("a/b/c");

    Convergence c = executor().converge(dir(target, ""), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("created");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rwxr-xr-x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a"))))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void converge_secondTime_reportsUnchanged() throws Exception {
    Directory spec = dir(root.resolve("app"), "0750");
    executor().converge(spec, Contexts.plain(stateDir));

    Convergence c = executor().converge(spec, Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void converge_differentMode_changesOnlyTheMode() throws Exception {
    Path target = Files.createDirectory(root.resolve("app"));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));

    Convergence c = executor().converge(dir(target, "0755"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("mode 0700→0755");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rwxr-xr-x");
  }

  @Test
  void converge_currentOwner_isUnchanged() throws Exception {
    Path target = Files.createDirectory(root.resolve("app"));
    String me = Files.getOwner(target).getName();

    Convergence c =
        executor()
            .converge(
                Directory.newBuilder().setPath(target.toString()).setOwner(me).build(),
                Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void converge_unknownOwner_throwsForTheApplierToReport() {
    Directory spec =
        Directory.newBuilder()
            .setPath(root.resolve("app").toString())
            .setOwner("no-such-user-pulley")
            .build();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> executor().converge(spec, Contexts.plain(stateDir)))
        .hasMessage("no such user 'no-such-user-pulley'");
  }

  @Test
  void converge_fileInTheWay_fails() throws Exception {
    Path target = Files.createFile(root.resolve("app"));

    Convergence c = executor().converge(dir(target, ""), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo(target + " exists and is not a directory");
  }

  @Test
  void converge_outsideRoots_failsAndCreatesNothing(@TempDir Path elsewhere) throws Exception {
    Path target = elsewhere.resolve("x");

    Convergence c = executor().converge(dir(target, ""), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("outside the allowed roots");
    assertThat(target).doesNotExist();
  }

  @Test
  void converge_specialBitsMode_fails() throws Exception {
    Convergence c = executor().converge(dir(root.resolve("tmp"), "1777"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("1777");
  }

  @Test
  void converge_modeChangedByHand_reportsDriftAndRestores() throws Exception {
    Path target = root.resolve("data");
    executor().converge(dir(target, "0750"), Contexts.plain(stateDir));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxrwxrwx"));

    Convergence c = executor().converge(dir(target, "0750"), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("mode 0777→0750");
    assertThat(c.drift()).isEqualTo("changed outside Pulley: mode 0777→0750");
  }

  @Test
  void converge_declaredModeChanged_isNotDrift() throws Exception {
    Path target = root.resolve("data");
    executor().converge(dir(target, "0750"), Contexts.plain(stateDir));

    Convergence c = executor().converge(dir(target, "0700"), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("mode 0750→0700");
    assertThat(c.drift()).isEmpty();
  }
}
