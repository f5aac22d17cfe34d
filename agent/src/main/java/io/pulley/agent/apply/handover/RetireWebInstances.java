package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;
import io.pulley.v1.lite.Handover;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every other uWSGI instance (and the older layout's unit) is drained and stopped. First a pause of
 * {@code drain_seconds} for connections nginx had queued on the old socket before the switch; then
 * each old instance is stopped as soon as it is idle, or gracefully once {@code
 * request_timeout_seconds} passed with requests still running; then disabled.
 */
final class RetireWebInstances implements FinishStep {
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
    Drain.queued(attempt);
    for (String unit : old) {
      Optional<String> instance = target.web().instanceOf(unit);
      if (instance.isPresent() && Drain.untilIdle(attempt, target.web().stats(instance.get()))) {
        // Nothing runs and nothing waits, and nginx connects elsewhere: a brutal stop loses
        // nothing, where a graceful one waits out the reload mercy for threads blocked in
        // accept() (60 s).
        systemctl.stopNoBlock(unit);
        endWorkers(systemctl, unit);
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
   * itself, and uWSGI's graceful shutdown would wait for it until its reload mercy (60 s), holding
   * the deploy. After the grace, what still runs is ended and clients reconnect, to the new
   * release.
   */
  private static void stopWithWebSockets(Attempt attempt, Systemctl systemctl, String unit)
      throws StepFailed, InterruptedException {
    systemctl.stopNoBlock(unit);
    attempt.host().pause().pause(WEBSOCKET_GRACE);
    endWorkers(systemctl, unit);
    systemctl.stop(unit);
  }

  /**
   * uWSGI's brutal stop, done by hand: SIGINT to each worker, which exits at once (its end_me), and
   * to the master. The master alone would not do: once the stop job's SIGTERM has begun its
   * graceful shutdown, it ignores SIGINT, and waits for busy workers until the reload mercy. It
   * leaves once its last worker is gone, removing its sockets.
   *
   * <p>A kill that fails (the instance stopped already, having nothing left to end) is let be: the
   * blocking stop that follows ends the instance either way, at worst at the reload mercy.
   */
  private static void endWorkers(Systemctl systemctl, String unit) throws InterruptedException {
    try {
      systemctl.killAll(unit, "SIGINT");
    } catch (StepFailed e) {
      // Nothing to end, or the blocking stop after this ends it.
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
