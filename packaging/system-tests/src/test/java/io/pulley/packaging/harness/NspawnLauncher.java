package io.pulley.packaging.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Starts a server's systemd-nspawn, at its boot and again at each reboot, the same way both times:
 * same command, own cgroup, one console file. Apart from {@link PristineServer} so that the two
 * starts cannot drift apart, and to keep that class small. Stateless and thread-safe.
 *
 * <p>With {@code --keep-unit}, nspawn does not boot the container again itself when its systemd
 * reboots: it exits with {@value #REBOOT_EXIT} (what systemd-nspawn@.service restarts on, {@code
 * RestartForceExitStatus=133}), and the harness plays that service's part.
 */
final class NspawnLauncher {

  static final int REBOOT_EXIT = 133;

  private final HarnessDirs dirs;
  private final String name;

  NspawnLauncher(HarnessDirs dirs, String name) {
    this.dirs = dirs;
    this.name = name;
  }

  /** The first start, with an empty console file. */
  Process boot() {
    try {
      Files.deleteIfExists(dirs.console(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start();
  }

  /**
   * Waits for {@code nspawn} to exit as it does when the container's systemd reboots, then starts
   * it again, its output appended to the first boot's console. Between the two, the cgroup the
   * first nspawn made ({@code payload}, {@code supervisor}, controllers enabled on it) is removed,
   * as systemd removes a restarted service's: on the unified hierarchy a process cannot join a
   * group that has controllers enabled for its children, so the cgroup wrapper would fail. {@code
   * evidence} is what an error message adds: the reboot command's outcome and the console's tail.
   */
  Process restartAfterReboot(Process nspawn, Duration timeout, Supplier<String> evidence) {
    try {
      if (!nspawn.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "server "
                + name
                + ": systemd-nspawn did not exit within "
                + timeout
                + " of the reboot\n"
                + evidence.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rebooting " + name, e);
    }
    if (nspawn.exitValue() != REBOOT_EXIT) {
      throw new IllegalStateException(
          "server "
              + name
              + ": systemd-nspawn exited with "
              + nspawn.exitValue()
              + " instead of "
              + REBOOT_EXIT
              + " (reboot)\n"
              + evidence.get());
    }
    ServerTeardown.removeCgroups(name);
    LiveServers.checkNotShuttingDown(name);
    return start();
  }

  /**
   * Appends to the console file, at every start: a truncating redirect would erase what the server
   * printed before a reboot, and an nspawn writing at its own offset would overwrite what was added
   * to the file after it started.
   */
  private Process start() {
    List<String> command =
        List.of(
            "systemd-nspawn",
            "--directory=" + dirs.serverRoot(name),
            "--machine=" + name,
            // No host systemd or D-Bus to register with; nspawn fails without these two.
            "--register=no",
            "--keep-unit",
            "--boot",
            "--console=pipe",
            // The host's resolver would point servers at a DNS server they must never reach.
            "--resolv-conf=off",
            "--network-namespace-path=/run/netns/" + name,
            // A server has a network namespace of its own and a firewall the agent sets up: nspawn
            // drops CAP_NET_ADMIN unless told, and nft then gets "Operation not permitted". With
            // it, a server can change its own network only.
            "--capability=CAP_NET_ADMIN");
    ProcessBuilder builder = new ProcessBuilder(Cgroups.startIn(name, command));
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dirs.console(name).toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
