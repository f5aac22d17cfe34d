package io.pulley.packaging.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes everything a server named {@code NAME} may have left: its nspawn and container processes,
 * mounts under its copy, its cgroups, the copy itself, its network namespace, veth and address
 * claim. Idempotent: each step skips what is already gone, so it serves both {@link
 * PristineServer#close()} and {@link Sweeper}. Thread-safe for different names.
 */
final class ServerTeardown {

  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ServerTeardown.class);

  private final HarnessDirs dirs;
  private final TestNetwork network;

  ServerTeardown(HarnessDirs dirs) {
    this.dirs = dirs;
    this.network = new TestNetwork(dirs);
  }

  /** Halts the server (waiting up to {@code poweroff}), then kills what is left and removes all. */
  void remove(String name, Duration poweroff) {
    stopProcesses(name, poweroff);
    killCgroup(name);
    unmountUnder(dirs.serverRoot(name));
    removeCgroups(name);
    HostCommand.run(
        Duration.ofMinutes(2),
        List.of("rm", "-rf", "--one-file-system", dirs.serverRoot(name).toString()));
    deleteQuietly(dirs.console(name));
    deleteQuietly(Path.of("/run/systemd/nspawn/propagate", name));
    network.detach(name);
  }

  /**
   * SIGTERM makes nspawn halt the container (systemd shuts down in order); past {@code poweroff},
   * SIGKILL to the container's init ends its whole PID namespace, and to nspawn itself.
   */
  private static void stopProcesses(String name, Duration poweroff) {
    List<ProcessHandle> nspawns = NspawnProcesses.forMachine(name);
    if (nspawns.isEmpty()) {
      return;
    }
    List<ProcessHandle> inits = new ArrayList<>();
    nspawns.forEach(nspawn -> nspawn.children().forEach(inits::add));
    nspawns.forEach(ProcessHandle::destroy);
    if (!awaitExit(nspawns, poweroff)) {
      log.warn(
          "server {} did not halt within {}; killing it; its systemd was still at: {}",
          name,
          poweroff,
          pendingJobs(inits));
      inits.forEach(ProcessHandle::destroyForcibly);
      nspawns.forEach(ProcessHandle::destroyForcibly);
      if (!awaitExit(nspawns, KILL_WAIT)) {
        throw new IllegalStateException("server " + name + " survived SIGKILL: " + nspawns);
      }
    }
  }

  /** What the container's systemd is still doing (stop jobs, with the units they wait on). */
  private static String pendingJobs(List<ProcessHandle> inits) {
    if (inits.isEmpty()) {
      return "(no init)";
    }
    ExecResult jobs =
        HostCommand.run(
            KILL_WAIT,
            List.of(
                "nsenter",
                "--target=" + inits.get(0).pid(),
                "--all",
                "--",
                "systemctl",
                "list-jobs",
                "--no-pager",
                "--no-legend"));
    return jobs.ok() ? "\n" + jobs.stdout().strip() : jobs.describe();
  }

  /**
   * Whatever is still in the server's cgroup: a container whose nspawn was killed (by a crash, or
   * SIGKILL to a test JVM's process tree) keeps running without it, and only its cgroup finds it.
   */
  private static void killCgroup(String name) {
    List<ProcessHandle> left =
        Cgroups.pids(name).stream().flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
    if (left.isEmpty()) {
      return;
    }
    log.warn("killing {} processes left in cgroup {}", left.size(), name);
    left.forEach(ProcessHandle::destroyForcibly);
    if (!awaitExit(left, KILL_WAIT)) {
      throw new IllegalStateException("processes of " + name + " survived SIGKILL: " + left);
    }
  }

  private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle process : processes) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        process.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** nspawn mounts in its own namespace; this only catches what leaked to the host's. */
  private static void unmountUnder(Path root) {
    String prefix = root.toString() + "/";
    List<String> mounts = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"), StandardCharsets.UTF_8)) {
        String point = unescape(line.split(" ")[1]);
        if (point.equals(root.toString()) || point.startsWith(prefix)) {
          mounts.add(point);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mounts.sort(Comparator.comparing(String::length).reversed());
    for (String point : mounts) {
      log.warn("unmounting leftover {}", point);
      HostCommand.run(KILL_WAIT, List.of("umount", "-l", point));
    }
  }

  /** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
  static String unescape(String field) {
    return field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\");
  }

  /**
   * A killed process leaves its cgroup a moment after it is reaped; retry briefly. A server torn
   * down in the middle of its boot may still fork after the first kill, so whatever is found in the
   * group on a retry is killed too. Also what a reboot does between two nspawns.
   */
  static void removeCgroups(String name) {
    long deadline = System.nanoTime() + KILL_WAIT.toNanos();
    while (!Cgroups.remove(name)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "cgroup " + name + " is still busy; processes in it: " + Cgroups.pids(name));
      }
      Cgroups.kill(name);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      if (Files.isDirectory(path)) {
        try (Stream<Path> tree = Files.walk(path)) {
          for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(each);
          }
        }
      } else {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", path, e.toString());
    }
  }
}
