package io.pulley.agent.apply.systemd;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * The one writer of systemd unit files, and the debt a write leaves: systemd goes on using the old
 * unit until {@code systemctl daemon-reload}. The reload is recorded as owed in the application's
 * state directory before the file changes, and the record is cleared only once a reload succeeded,
 * so a crash or a failed reload is paid on the next apply even though the file no longer differs.
 * Idempotent: an unchanged unit is not written, and nothing owed means no reload. Not thread-safe;
 * one apply at a time.
 */
public final class UnitFiles {
  /** Where units made by an administrator, and so by the agent, belong. */
  public static final Path SYSTEM_DIR = Path.of("/etc/systemd/system");

  private static final String UNIT_MODE = "rw-r--r--";

  private final Path unitDir;
  private final Path owed;
  private final Systemctl systemctl;

  /**
   * @param unitDir where unit files are written: /etc/systemd/system
   * @param stateDir the application's state directory, where the owed reload is recorded
   */
  public UnitFiles(Path unitDir, Path stateDir, Systemctl systemctl) {
    this.unitDir = unitDir;
    this.owed = stateDir.resolve("units").resolve("daemon-reload-owed");
    this.systemctl = systemctl;
  }

  /** The file of unit {@code name}. */
  public Path file(String name) {
    return unitDir.resolve(name);
  }

  /** Whether the file of unit {@code name} is missing or holds something else than {@code unit}. */
  public boolean differs(String name, String unit) throws IOException {
    Path file = file(name);
    return !(Files.isRegularFile(file)
        && Arrays.equals(Files.readAllBytes(file), unit.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Writes unit {@code name} (atomically, mode 0644) if its file differs; true if it did. From then
   * on a daemon-reload is owed.
   */
  public boolean write(String name, String unit) throws IOException {
    if (!differs(name, unit)) {
      return false;
    }
    oweReload();
    AtomicWriter.write(
        file(name),
        unit.getBytes(StandardCharsets.UTF_8),
        temp -> Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(UNIT_MODE)));
    return true;
  }

  /** Records that systemd must re-read its units, for a cause other than a write here. */
  public void oweReload() throws IOException {
    if (reloadOwed()) {
      return;
    }
    // Root-only, like every executor's state: it tells what the agent is about to do.
    Files.createDirectories(
        owed.getParent(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    AtomicWriter.write(owed, "daemon-reload\n".getBytes(StandardCharsets.UTF_8));
  }

  public boolean reloadOwed() {
    return Files.isRegularFile(owed);
  }

  /**
   * Runs {@code systemctl daemon-reload} if one is owed, and only then forgets the debt; true if it
   * ran. A failed reload stays owed.
   */
  public boolean reloadIfOwed() throws StepFailed, InterruptedException, IOException {
    if (!reloadOwed()) {
      return false;
    }
    systemctl.daemonReload();
    Files.deleteIfExists(owed);
    return true;
  }
}
