package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;
import io.pulley.v1.Handover;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every other uWSGI instance (and the older layout's unit) is drained and stopped. First a pause of
 * {@code drain_seconds} for connections nginx had queued on the old socket before the switch; then
 * each old instance is stopped as soon as it is idle, or gracefully once {@code
 * request_timeout_seconds} passed with requests still running; then disabled.
 */
final class RetireWebInstances implements FinishStep {
  private static final Duration IDLE_INTERVAL = Duration.ofMillis(200);

  /** How long a site with WebSockets lets the graceful stop run before it ends the rest. */
  static final Duration WEBSOCKET_GRACE = Duration.ofSeconds(5);

  @Override
  public void run(Attempt attempt) throws StepFailed, InterruptedException {
    HandoverTarget target = attempt.target();
    Handover spec = target.spec();
    Systemctl systemctl = attempt.systemctl();
    List<String> old =
        OldUnits.of(systemctl, target.web(), target.webUnit(), spec.getRetiredWebUnitsList());
    if (old.isEmpty()) {
      return;
    }
    // The controller always sets it; 0 asks for no pause.
    if (spec.getDrainSeconds() > 0) {
      attempt.host().pause().pause(Duration.ofSeconds(spec.getDrainSeconds()));
    }
    for (String unit : old) {
      Optional<String> instance = target.web().instanceOf(unit);
      if (instance.isPresent() && idle(attempt, target.web().stats(instance.get()))) {
        // Nothing runs and nothing waits, and nginx connects elsewhere: a brutal stop loses
        // nothing, where a graceful one waits out the reload mercy for threads blocked in
        // accept() (60 s).
        systemctl.stopNoBlock(unit);
        systemctl.killMain(unit, "SIGINT");
        systemctl.stop(unit);
      } else if (!spec.getHttpSocketLink().isEmpty()) {
        stopWithWebSockets(attempt, systemctl, unit);
      } else {
        // systemd signals the main process only (KillMode=mixed), which the ini turns into
        // gracefully_kill_them_all: uWSGI finishes its requests.
        systemctl.stop(unit);
      }
      systemctl.disable(unit);
      instance.ifPresent(i -> forgetReadiness(target.web(), i));
      attempt.changed("stopped " + unit);
    }
  }

  /**
   * A graceful stop that cannot outlast {@link #WEBSOCKET_GRACE}: an open WebSocket never ends by
   * itself, and uWSGI's graceful shutdown would wait for it until systemd's stop timeout (harakiri
   * + 30 s), holding the deploy. After the grace, what still runs is ended (SIGINT, uWSGI's brutal
   * stop) and clients reconnect, to the new release.
   */
  private static void stopWithWebSockets(Attempt attempt, Systemctl systemctl, String unit)
      throws StepFailed, InterruptedException {
    systemctl.stopNoBlock(unit);
    attempt.host().pause().pause(WEBSOCKET_GRACE);
    try {
      systemctl.killMain(unit, "SIGINT");
    } catch (StepFailed e) {
      if (systemctl.isActive(unit)) {
        throw e;
      }
      // Stopped within the grace: nothing left to end.
    }
    systemctl.stop(unit);
  }

  /**
   * Waits until the retiring instance serves no request and has none queued, as long as a request
   * may run ({@code request_timeout_seconds}); false if that never came or its stats cannot be
   * read. A timeout of 0 waits for nothing: the instance is stopped gracefully at once.
   */
  private static boolean idle(Attempt attempt, Path stats) throws InterruptedException {
    int timeout = attempt.target().spec().getRequestTimeoutSeconds();
    if (timeout <= 0) {
      return false;
    }
    HandoverHost host = attempt.host();
    Instant end = host.clock().instant().plus(Duration.ofSeconds(timeout));
    while (true) {
      Optional<UwsgiStats.Load> load = host.stats().read(stats);
      if (load.isEmpty()) {
        return false;
      }
      if (load.get().idle()) {
        return true;
      }
      if (!host.clock().instant().isBefore(end)) {
        return false;
      }
      host.pause().pause(IDLE_INTERVAL);
    }
  }

  /**
   * What a stopped instance leaves in the runtime directory: uWSGI's vacuum removes sockets only.
   */
  private static void forgetReadiness(Instances web, String instance) {
    try {
      Files.deleteIfExists(web.ready(instance));
      Files.deleteIfExists(web.fifo(instance));
    } catch (IOException e) {
      // A stale readiness file is deleted again before the instance next starts.
    }
  }
}
