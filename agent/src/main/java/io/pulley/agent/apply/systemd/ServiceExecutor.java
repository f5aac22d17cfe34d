package io.pulley.agent.apply.systemd;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.health.RetryPause;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.systemd.ServiceMemory.Memory;
import io.pulley.agent.apply.systemd.ServiceMemory.Pending;
import io.pulley.v1.lite.Service;
import io.pulley.v1.lite.ServiceProbe;
import io.pulley.v1.lite.ServiceState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converges a systemd service: its unit file (written through {@link UnitFiles}: only when
 * different, then systemd reloaded), enablement, and state. It restarts the service when its unit
 * or a {@code restart_on} resource changed, reloads it when a {@code reload_on} resource changed,
 * and otherwise only starts or stops it as declared, so an unchanged apply restarts nothing. The
 * action owed is recorded before anything is done and cleared after success, so a crash or a failed
 * restart is retried on the next apply. Idempotent; one apply at a time.
 */
public final class ServiceExecutor implements ResourceExecutor<Service> {
  static final String RUNNING = "running";
  static final String STOPPED = "stopped";

  private final PathGuard guard;
  private final Systemctl systemctl;
  private final ServiceProbes probes;
  private final PendingStarts starts;

  /** How long a service that does not answer may still be starting before it is restarted. */
  private static final java.time.Duration STARTING_GRACE = java.time.Duration.ofSeconds(10);

  private final Path unitDir;

  public ServiceExecutor(PathGuard guard, CommandRunner runner) {
    this(guard, runner, UnitFiles.SYSTEM_DIR, RetryPause.SLEEP, Clock.systemUTC());
  }

  /**
   * @param unitDir where unit files are written
   * @param pause waits while systemd still starts the unit
   */
  ServiceExecutor(
      PathGuard guard, CommandRunner runner, Path unitDir, RetryPause pause, Clock clock) {
    this.guard = guard;
    this.systemctl = new Systemctl(runner);
    this.probes = new ServiceProbes(runner);
    this.starts = new PendingStarts(systemctl, pause, clock);
    this.unitDir = unitDir;
  }

  @Override
  public Convergence converge(Service spec, ApplyContext context) throws IOException {
    String name = spec.getName();
    Optional<String> refused = UnitNames.refusal(name);
    if (refused.isEmpty() && spec.getState() == ServiceState.UNRECOGNIZED) {
      refused = Optional.of("state " + spec.getStateValue() + " is not known to this agent");
    }
    UnitFiles units = new UnitFiles(unitDir, context.stateDir(), systemctl);
    if (refused.isEmpty() && !spec.getUnit().isEmpty()) {
      refused = guard.check(units.file(name).toString());
    }
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    boolean running = spec.getState() != ServiceState.SERVICE_STATE_STOPPED;
    boolean unitChanged = !spec.getUnit().isEmpty() && units.differs(name, spec.getUnit());
    ServiceMemory memory = new ServiceMemory(context.stateDir());
    Memory before = memory.read(name);
    List<String> why = new ArrayList<>();
    Pending pending =
        running ? owed(spec, context, unitChanged, before.pending(), why) : Pending.NONE;
    if (pending != before.pending()) {
      memory.write(name, new Memory(pending, before.converged()));
    }
    try {
      List<String> changes = new ArrayList<>();
      if (unitChanged) {
        units.write(name, spec.getUnit());
        changes.add("unit file written");
      }
      // An owed restart may come from a unit written before a failed daemon-reload: redo it.
      if (!spec.getUnit().isEmpty() && before.pending() == Pending.RESTART) {
        units.oweReload();
      }
      units.reloadIfOwed();
      if (!spec.getDisabled() && systemctl.enable(name)) {
        changes.add("enabled");
      }
      // At boot systemd may still be starting it (waiting for the units it is ordered after):
      // neither up nor down yet, so it is looked at once systemd is done with it.
      starts.waitOut(List.of(name));
      boolean active = systemctl.isActive(name);
      String target = running ? RUNNING : STOPPED;
      boolean drifted = before.converged().equals(target) && active != running;
      String silent = "";
      if (running) {
        Optional<String> brought = bringUp(name, pending, active, String.join(", ", why));
        brought.ifPresent(changes::add);
        if (spec.hasProbe()) {
          silent = answers(name, spec.getProbe(), brought.isPresent(), changes);
        }
      } else if (active) {
        systemctl.stop(name);
        changes.add("stopped");
      }
      Memory after = new Memory(Pending.NONE, target);
      if (!after.equals(before) || pending != Pending.NONE) {
        memory.write(name, after); // only on a change: an unchanged apply writes nothing
      }
      Convergence c = Convergence.of(changes, "service " + name + " is " + target);
      if (!silent.isEmpty()) {
        return c.withDrift("was active but did not answer: " + silent);
      }
      return drifted ? c.withDrift(running ? "was inactive" : "was active") : c;
    } catch (StepFailed e) {
      return Convergence.failed(e.getMessage())
          .withOutputTail(SecretScrubber.scrub(e.tail() + journal(name), context));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted");
    }
  }

  private String journal(String name) {
    try {
      return systemctl.journal(name);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * Checks that the service serves: after a start, until it answers; otherwise once, and if it does
   * not answer, restarts it and waits. What it said when it did not answer at first, or empty.
   *
   * @throws StepFailed if it does not answer within the probe's timeout
   */
  private String answers(String name, ServiceProbe probe, boolean justBrought, List<String> changes)
      throws StepFailed, InterruptedException {
    if (justBrought) {
      Optional<String> failure = probes.await(probe);
      if (failure.isPresent()) {
        throw new StepFailed(
            "service " + name + " is active but does not answer: " + failure.get(), "");
      }
      return "";
    }
    Optional<String> silent = probes.once(probe);
    // A service still starting (a cluster recovering after a reboot) gets a grace before the
    // restart, so that a converged host that boots restarts nothing.
    if (silent.isEmpty() || probes.await(probe, STARTING_GRACE).isEmpty()) {
      return "";
    }
    systemctl.restart(name);
    changes.add("restarted (it did not answer)");
    Optional<String> failure = probes.await(probe);
    if (failure.isPresent()) {
      throw new StepFailed(
          "service " + name + " is active but does not answer, even restarted: " + failure.get(),
          "");
    }
    return silent.get();
  }

  /** The strongest action owed to a running service; {@code why} collects the causes. */
  private static Pending owed(
      Service spec, ApplyContext context, boolean unitChanged, Pending recorded, List<String> why) {
    if (unitChanged) {
      why.add("unit changed");
    }
    List<String> restartHits = hits(spec.getRestartOnList(), context);
    List<String> reloadHits = hits(spec.getReloadOnList(), context);
    restartHits.forEach(id -> why.add(id + " changed"));
    if (recorded != Pending.NONE) {
      why.add("owed since an earlier apply");
    }
    Pending now =
        unitChanged || !restartHits.isEmpty()
            ? Pending.RESTART
            : reloadHits.isEmpty() ? Pending.NONE : Pending.RELOAD;
    if (now.atLeast(recorded) == Pending.RELOAD) {
      reloadHits.forEach(id -> why.add(id + " changed"));
    }
    return now.atLeast(recorded);
  }

  private static List<String> hits(List<String> ids, ApplyContext context) {
    return ids.stream().filter(context.changedResources()::contains).toList();
  }

  /** Restarts, reloads or starts a service that must run; what it did, if anything. */
  private Optional<String> bringUp(String name, Pending pending, boolean active, String why)
      throws StepFailed, InterruptedException {
    String cause = why.isEmpty() ? "" : " (" + why + ")";
    if (pending == Pending.RESTART) {
      systemctl.restart(name);
      return Optional.of((active ? "restarted" : "started") + cause);
    }
    if (pending == Pending.RELOAD && active) {
      systemctl.reload(name);
      return Optional.of("reloaded" + cause);
    }
    if (!active) {
      // A reload owed to a stopped service is done by starting it.
      systemctl.start(name);
      return Optional.of("started");
    }
    return Optional.empty();
  }
}
