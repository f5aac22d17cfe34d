package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.systemd.StepFailed;
import java.io.IOException;
import java.util.Optional;

/**
 * The site's health check through nginx, now on the new release. A release that fails only behind
 * nginx is caught here; the links' undo then switches back. Changes nothing itself.
 */
final class CheckSite implements SwitchStep {
  private final Optional<String> previousInstance;

  /**
   * @param previousInstance the instance that had the traffic before the switch, if any
   */
  CheckSite(Optional<String> previousInstance) {
    this.previousInstance = previousInstance;
  }

  @Override
  public void run(Attempt attempt, UndoStack undo) throws StepFailed, IOException {
    HandoverTarget target = attempt.target();
    Convergence site =
        attempt.host().siteCheck().check(target.spec().getSiteCheck(), target.context());
    if (site.failed()) {
      throw attempt.failedWithTraffic(
          new StepFailed(
              "the site failed after the switch to "
                  + target.shortCommit()
                  + ", switched back"
                  + previousInstance.map(p -> " to " + HandoverTarget.abbreviate(p)).orElse("")
                  + ": "
                  + site.reason(),
              ""));
    }
    attempt.changed("traffic → " + target.webUnit());
  }
}
