package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;

/**
 * Every other worker stops, consumer first and then warmly (running tasks finish, prefetched ones
 * go back to the broker), and is disabled. After the web tier, so that no old web instance enqueues
 * a task only an old worker knows once it is gone.
 */
final class RetireWorkers implements FinishStep {

  @Override
  public void run(Attempt attempt) throws StepFailed, InterruptedException {
    HandoverTarget target = attempt.target();
    Systemctl systemctl = attempt.systemctl();
    for (String unit :
        OldUnits.of(
            systemctl,
            target.workers(),
            target.workerUnit(),
            target.spec().getRetiredWorkerUnitsList())) {
      WorkerShutdown.stop(attempt, unit);
      systemctl.disable(unit);
      attempt.changed("stopped " + unit);
    }
  }
}
