package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import java.util.Optional;

/**
 * The new instance answers the health request on its own socket, in the uwsgi protocol as nginx
 * would, before it gets any traffic: a release that never answers healthy never gets a request.
 * Changes nothing, so registers no undo.
 */
final class ProveOnOwnSocket implements SwitchStep {
  private final boolean justStarted;

  /**
   * @param justStarted whether the instance was started by this handover: then it must first show
   *     that a worker accepts (its readiness file)
   */
  ProveOnOwnSocket(boolean justStarted) {
    this.justStarted = justStarted;
  }

  @Override
  public void run(Attempt attempt, UndoStack undo) throws StepFailed, InterruptedException {
    HandoverTarget target = attempt.target();
    Optional<String> unhealthy =
        attempt
            .host()
            .readiness()
            .webAnswers(target.web(), target.instance(), target.spec().getWebCheck(), justStarted);
    if (unhealthy.isPresent()) {
      throw new StepFailed(
          "release " + target.shortCommit() + " got no traffic: " + unhealthy.get(),
          attempt.systemctl().journal(target.webUnit()));
    }
  }
}
