package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;
import java.io.IOException;
import java.util.Optional;

/**
 * The release's Celery worker runs and answers a ping before the web tier can send it a task name
 * no running worker knows. It starts beside the old worker, or, for the same release with new
 * settings, gets a warm restart; a running one that does not answer is restarted too. Undo: a
 * worker it started stops as an old one does, consumer first.
 */
final class StartWorker implements SwitchStep {

  @Override
  public void run(Attempt attempt, UndoStack undo)
      throws StepFailed, IOException, InterruptedException {
    Systemctl systemctl = attempt.systemctl();
    HandoverTarget target = attempt.target();
    String unit = target.workerUnit();
    if (!systemctl.isActive(unit)) {
      systemctl.resetFailed(unit);
      attempt.host().startOrExplain(unit);
      undo.push("stop " + unit, () -> WorkerShutdown.stop(attempt, unit));
      attempt.changed("worker " + target.shortCommit() + " started");
    } else if (target.restartWanted()) {
      // The same release with new settings: a warm restart hands unacked tasks back first.
      systemctl.restart(unit);
      attempt.changed("worker restarted (settings changed)");
    } else {
      // An active unit is not a working worker: one hung under it takes no task, so the release
      // that runs it is asked as a new one is, and restarted (a warm shutdown) if it stays silent.
      Optional<String> silent = answers(attempt);
      if (silent.isEmpty()) {
        return;
      }
      systemctl.restart(unit);
      attempt.changed("worker restarted: it did not answer a ping (" + silent.get() + ")");
    }
    Optional<String> silent = answers(attempt);
    if (silent.isPresent()) {
      throw new StepFailed(
          "worker " + unit + " did not answer: " + silent.get(), systemctl.journal(unit));
    }
  }

  private static Optional<String> answers(Attempt attempt)
      throws IOException, InterruptedException {
    HandoverTarget target = attempt.target();
    return attempt
        .host()
        .readiness()
        .workerAnswers(target.spec().getWorkerCelery(), target.node(target.commit()));
  }
}
