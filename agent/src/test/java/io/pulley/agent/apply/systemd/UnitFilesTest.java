package io.pulley.agent.apply.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.agent.apply.process.RecordingRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitFilesTest {
  static final String UNIT = "[Service]\nExecStart=/usr/bin/true\n";

  @TempDir Path unitDir;
  @TempDir Path stateDir;

  private UnitFiles units(RecordingRunner runner) {
    return new UnitFiles(unitDir, stateDir, new Systemctl(runner));
  }

  @Test
  void write_newUnit_isWrittenWithMode0644_andOwesAReload() throws Exception {
    UnitFiles units = units(new RecordingRunner());

    assertThat(units.write("app.service", UNIT)).isTrue();

    Path file = unitDir.resolve("app.service");
    assertThat(file).hasContent(UNIT);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    assertThat(units.reloadOwed()).isTrue();
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("units"))))
        .isEqualTo("rwx------");
  }

  @Test
  void write_sameContent_writesNothing_andOwesNothing() throws Exception {
    Files.writeString(unitDir.resolve("app.service"), UNIT);
    RecordingRunner runner = new RecordingRunner();
    UnitFiles units = units(runner);

    assertThat(units.differs("app.service", UNIT)).isFalse();
    assertThat(units.write("app.service", UNIT)).isFalse();
    assertThat(units.reloadIfOwed()).isFalse();

    assertThat(runner.calls()).isEmpty();
  }

  @Test
  void reloadIfOwed_afterAWrite_reloadsOnce_andThenOwesNothing() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    UnitFiles units = units(runner);
    units.write("app.service", UNIT);

    assertThat(units.reloadIfOwed()).isTrue();
    assertThat(units.reloadIfOwed()).isFalse();

    assertThat(runner.changes()).containsExactly("systemctl daemon-reload");
    assertThat(stateDir.resolve("units")).isEmptyDirectory();
  }

  @Test
  void failedReload_staysOwed_andIsPaidByTheNextApply() throws Exception {
    RecordingRunner failing = new RecordingRunner().answer("systemctl daemon-reload", 1, "no\n");
    units(failing).write("app.service", UNIT);

    assertThatThrownBy(() -> units(failing).reloadIfOwed())
        .isInstanceOf(StepFailed.class)
        .hasMessage("systemctl daemon-reload: exit status 1");

    // The next apply: the file no longer differs, but the reload is still owed.
    RecordingRunner next = new RecordingRunner();
    UnitFiles again = units(next);
    assertThat(again.write("app.service", UNIT)).isFalse();
    assertThat(again.reloadIfOwed()).isTrue();
    assertThat(next.changes()).containsExactly("systemctl daemon-reload");
    assertThat(again.reloadOwed()).isFalse();
  }

  @Test
  void oweReload_withoutAWrite_isPaidLikeOne() throws Exception {
    RecordingRunner runner = new RecordingRunner();
    UnitFiles units = units(runner);

    units.oweReload();
    units.reloadIfOwed();

    assertThat(runner.changes()).containsExactly("systemctl daemon-reload");
  }
}
