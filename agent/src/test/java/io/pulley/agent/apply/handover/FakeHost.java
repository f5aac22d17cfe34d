package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.process.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * systemd and Celery as a handover sees them, for unit tests: units that systemctl starts and
 * stops, uWSGI instances that create their readiness file when started and link the socket path if
 * it is missing (the stack unit's ExecStartPost), workers that answer a ping while they run, and a
 * reboot, after which systemd's own start jobs take a while. Records every command. Not
 * thread-safe.
 */
final class FakeHost implements CommandRunner {
  private final Path runDir;
  private final Set<String> active = new LinkedHashSet<>();
  private final Set<String> enabled = new LinkedHashSet<>();
  private final Set<String> failingStarts = new LinkedHashSet<>();
  private final Set<String> deactivating = new LinkedHashSet<>();
  private final Set<String> stoppingAtOnce = new LinkedHashSet<>();
  private final Set<String> failingAtBoot = new LinkedHashSet<>();

  /** systemd's start jobs after a reboot: how many more list-jobs queries each stays pending. */
  private final Map<String, Integer> bootJobs = new LinkedHashMap<>();

  private final List<String> lines = new ArrayList<>();
  private boolean workersAnswer = true;

  /** Active workers that answer no ping until they are restarted. */
  private final Set<String> hung = new HashSet<>();

  private int failingDaemonReloads;

  FakeHost(Path runDir) {
    this.runDir = runDir;
  }

  FakeHost running(String unit) {
    active.add(unit);
    enabled.add(unit);
    return this;
  }

  /** {@code systemctl start unit} fails, as when uWSGI exits because the app cannot load. */
  FakeHost failsToStart(String unit) {
    failingStarts.add(unit);
    return this;
  }

  /** The next {@code count} daemon-reloads fail, as when a unit file does not parse. */
  FakeHost failsDaemonReloads(int count) {
    failingDaemonReloads = count;
    return this;
  }

  /** At the next reboot systemd's start of {@code unit} fails (the app could not load yet). */
  FakeHost failsAtBoot(String unit) {
    failingAtBoot.add(unit);
    return this;
  }

  /**
   * A reboot: /run is emptied, nothing runs, and systemd queues a start job for every enabled unit,
   * which ends after {@code polls} queries of {@code systemctl list-jobs} (or when systemctl start
   * joins it). Until then the unit is not active and the socket path is not linked.
   */
  FakeHost reboot(int polls) throws IOException {
    active.clear();
    try (Stream<Path> files = Files.list(runDir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    for (String unit : enabled) {
      bootJobs.put(unit, polls);
    }
    return this;
  }

  /** A queued stop of {@code unit} ends it at once, as when its last connection just closed. */
  FakeHost stopsAtOnce(String unit) {
    stoppingAtOnce.add(unit);
    return this;
  }

  /** {@code unit} stays active but answers no ping until it is restarted. */
  FakeHost hung(String unit) {
    hung.add(unit);
    return this;
  }

  FakeHost workersSilent() {
    workersAnswer = false;
    return this;
  }

  Set<String> active() {
    return Set.copyOf(active);
  }

  Set<String> enabled() {
    return Set.copyOf(enabled);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** The commands that changed something, in order. */
  List<String> changes() {
    return lines.stream()
        .filter(l -> l.startsWith("systemctl ") && !l.contains(" is-") && !l.contains(" list-"))
        .filter(l -> !l.contains("reset-failed"))
        .toList();
  }

  @Override
  public Result run(Invocation invocation) {
    List<String> argv = invocation.argv();
    lines.add(invocation.display());
    if (argv.get(0).equals("journalctl")) {
      return Result.exited(0, "journal of " + argv.get(2) + "\n");
    }
    if (argv.get(0).endsWith("runuser")) {
      return argv.contains("ping") ? ping(argv.get(argv.size() - 1)) : Result.exited(0, "ok\n");
    }
    String verb = argv.get(1);
    String unit = argv.get(argv.size() - 1);
    return switch (verb) {
      case "is-active" -> Result.exited(active.contains(unit) ? 0 : 3, "");
      case "list-jobs" -> listJobs(argv.subList(3, argv.size()));
      case "is-enabled" ->
          enabled.contains(unit) ? Result.exited(0, "enabled\n") : Result.exited(1, "disabled\n");
      case "enable" -> add(enabled, unit);
      case "disable" -> {
        enabled.remove(unit);
        yield Result.exited(0, "");
      }
      case "start" -> start(unit);
      case "stop" -> stop(unit, argv.contains("--no-block"));
      // A restarted uWSGI instance makes its readiness file again, as a started one does.
      case "restart" -> {
        hung.remove(unit);
        yield start(unit);
      }
      // As systemd: a unit with no process left has nothing to kill.
      case "kill" ->
          active.contains(unit) || deactivating.contains(unit)
              ? Result.exited(0, "")
              : Result.exited(1, "Failed to kill unit " + unit + ": No process to kill\n");
      case "list-units" -> listUnits(unit);
      case "daemon-reload" -> daemonReload();
      default -> Result.exited(0, "");
    };
  }

  /**
   * A blocking stop ends the unit; a queued one (--no-block) leaves it deactivating, no longer
   * active but with its processes, unless it {@link #stopsAtOnce stops at once}.
   */
  private Result stop(String unit, boolean noBlock) {
    active.remove(unit);
    if (noBlock && !stoppingAtOnce.contains(unit)) {
      deactivating.add(unit);
    } else {
      deactivating.remove(unit);
    }
    return Result.exited(0, "");
  }

  private Result start(String unit) {
    if (bootJobs.containsKey(unit)) {
      // systemctl start joins the job systemd runs already, and ends with it.
      return finishBoot(unit) ? Result.exited(0, "") : Result.exited(1, "Job failed.\n");
    }
    if (failingStarts.contains(unit)) {
      return Result.exited(1, "Job for " + unit + " failed.\n");
    }
    active.add(unit);
    if (unit.contains("-uwsgi@")) {
      String instance = unit.substring(unit.indexOf('@') + 1, unit.length() - ".service".length());
      try {
        Files.writeString(runDir.resolve(instance + ".ready"), "");
        Path link = runDir.resolve("uwsgi.sock");
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(link, Path.of(instance + ".sock"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Result.exited(0, "");
  }

  /** Rows of list-jobs for the pending boot jobs among {@code units}; each query brings them on. */
  private Result listJobs(List<String> units) {
    StringBuilder out = new StringBuilder();
    for (String unit : units) {
      Integer left = bootJobs.get(unit);
      if (left == null) {
        continue;
      }
      if (left <= 1) {
        finishBoot(unit);
      } else {
        bootJobs.put(unit, left - 1);
      }
      out.append("17 ").append(unit).append(" start running\n");
    }
    return Result.exited(0, out.toString());
  }

  /** Ends systemd's boot job for {@code unit}; false if that start failed. */
  private boolean finishBoot(String unit) {
    bootJobs.remove(unit);
    if (failingAtBoot.contains(unit)) {
      return false;
    }
    start(unit);
    return true;
  }

  private Result daemonReload() {
    if (failingDaemonReloads > 0) {
      failingDaemonReloads--;
      return Result.exited(1, "Failed to reload daemon.\n");
    }
    return Result.exited(0, "");
  }

  /** Answers for the addressed node ("app-INSTANCE@host") if its worker runs. */
  private Result ping(String destination) {
    StringBuilder out = new StringBuilder();
    for (String unit : active) {
      if (workersAnswer && !hung.contains(unit) && unit.contains("-celery-worker@")) {
        String instance =
            unit.substring(unit.indexOf('@') + 1, unit.length() - ".service".length());
        if (destination.equals("app-" + instance + "@host")) {
          out.append("-> ").append(destination).append(": OK\n        pong\n");
        }
      }
    }
    return out.isEmpty()
        ? Result.exited(69, "Error: No nodes replied within time constraint\n")
        : Result.exited(0, out.toString());
  }

  private Result listUnits(String glob) {
    Pattern pattern = Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q"));
    StringBuilder out = new StringBuilder();
    for (String unit : active) {
      if (pattern.matcher(unit).matches()) {
        out.append(unit).append(" loaded active running x\n");
      }
    }
    return Result.exited(0, out.toString());
  }

  private static Result add(Set<String> set, String unit) {
    set.add(unit);
    return Result.exited(0, "");
  }
}
