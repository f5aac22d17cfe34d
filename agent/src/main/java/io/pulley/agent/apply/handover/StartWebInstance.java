package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The release's uWSGI instance starts beside the live one, on its own socket, where no request
 * reaches it yet. In the reload mode the one instance finds its code through current, so current
 * moves onto the release first. An instance that already runs (started by an apply that was cut
 * short) is reused. Undo: the instance it started stops (also after a failed start, which may leave
 * it activating), and current moves back.
 */
final class StartWebInstance implements SwitchStep {
  private final Optional<Path> previousCurrent;
  private boolean started;

  /**
   * @param previousCurrent where current pointed before this handover
   */
  StartWebInstance(Optional<Path> previousCurrent) {
    this.previousCurrent = previousCurrent;
  }

  @Override
  public void run(Attempt attempt, UndoStack undo)
      throws StepFailed, IOException, InterruptedException {
    HandoverTarget target = attempt.target();
    Systemctl systemctl = attempt.systemctl();
    String unit = target.webUnit();
    started = !systemctl.isActive(unit);
    if (started) {
      undo.push("stop " + unit, () -> systemctl.stop(unit));
    }
    if (target.reloadMode()) {
      undo.push("current back", () -> target.current().restore(previousCurrent));
      target.current().pointAt(target.commit());
    }
    if (started) {
      // A readiness file left by an earlier run of the instance would pass for this one's.
      Files.deleteIfExists(target.web().ready(target.instance()));
      systemctl.resetFailed(unit);
      attempt.host().startOrExplain(unit);
    }
  }

  /** Whether the run started the instance, rather than finding it running. */
  boolean started() {
    return started;
  }
}
