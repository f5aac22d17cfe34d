package io.pulley.packaging.harness;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Waits until a server's systemd has finished booting: first for nspawn to start the container's
 * init, then for {@code systemctl is-system-running --wait}. A failed boot becomes an exception
 * carrying the console and the journal, the two places that say why. Used once per boot.
 */
final class BootWait {

  private static final Set<String> UP = Set.of("running", "degraded");

  /**
   * Early in the boot systemctl cannot reach the manager yet: it prints nothing, or "offline" when
   * its private socket does not exist yet (seen on a loaded machine). A manager that never comes up
   * fails at the deadline instead.
   */
  private static final Set<String> NOT_UP_YET = Set.of("", "offline", "starting", "initializing");

  private static final Duration POLL = Duration.ofMillis(100);

  private final PristineServer server;
  private final long deadline;
  private final Duration timeout;

  BootWait(PristineServer server, Duration timeout) {
    this.server = server;
    this.timeout = timeout;
    this.deadline = System.nanoTime() + timeout.toNanos();
  }

  void await() {
    server.initPid(awaitInit());
    while (true) {
      ExecResult state = server.exec(remaining(), "systemctl", "is-system-running", "--wait");
      String text = state.stdout().strip();
      if (UP.contains(text)) {
        return;
      }
      if (!NOT_UP_YET.contains(text)) {
        fail("systemd reports the system " + text);
      }
      pause();
    }
  }

  /** The container's systemd is nspawn's child once it has exec'd (its name is then "systemd"). */
  private long awaitInit() {
    while (true) {
      if (!server.nspawn().isAlive()) {
        fail("systemd-nspawn exited with " + server.nspawn().exitValue());
      }
      Optional<ProcessHandle> init =
          server
              .nspawn()
              .children()
              .filter(
                  child -> child.info().command().map(c -> c.endsWith("/systemd")).orElse(false))
              .findFirst();
      if (init.isPresent()) {
        return init.get().pid();
      }
      pause();
    }
  }

  private Duration remaining() {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      fail("boot did not finish within " + timeout);
    }
    return Duration.ofNanos(left);
  }

  private void pause() {
    remaining();
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while booting " + server.hostName(), e);
    }
  }

  private void fail(String why) {
    StringBuilder message =
        new StringBuilder("server ").append(server.hostName()).append(": ").append(why);
    message.append("\n--- console ---\n").append(ExecResult.tail(server.console()));
    if (server.initPid() != 0 && server.nspawn().isAlive()) {
      ExecResult journal =
          server.exec(Duration.ofSeconds(10), "journalctl", "--boot", "--no-pager", "--lines=80");
      ExecResult failed =
          server.exec(Duration.ofSeconds(10), "systemctl", "--failed", "--no-pager");
      message.append("\n--- failed units ---\n").append(failed.stdout());
      message.append("\n--- journal ---\n").append(journal.stdout());
    }
    throw new IllegalStateException(message.toString());
  }
}
