package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.PendingStarts;
import io.pulley.agent.apply.systemd.StepFailed;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd finishes starting the release's instance and worker before the handover looks at them.
 * After a reboot systemd starts the enabled (live) units while the agent's first apply runs: an
 * instance still loading its application is not active yet and has not linked the socket path (its
 * ExecStartPost does, once it is up), a worker may still wait for the database. Taken for stopped,
 * the instance would be "started" (with an undo that stops it if the site check then fails) and the
 * traffic "switched" onto it, and the handover reported as changed, which restarts beat. Once
 * systemd is done, a unit it failed to start is down and repaired as such. Changes nothing, so
 * registers no undo.
 */
final class AwaitSystemdStarts implements SwitchStep {

  @Override
  public void run(Attempt attempt, UndoStack undo) throws StepFailed, InterruptedException {
    HandoverTarget target = attempt.target();
    List<String> units = new ArrayList<>(List.of(target.webUnit()));
    if (target.hasWorker()) {
      units.add(target.workerUnit());
    }
    HandoverHost host = attempt.host();
    new PendingStarts(host.systemctl(), host.pause(), host.clock()).waitOut(units);
  }
}
