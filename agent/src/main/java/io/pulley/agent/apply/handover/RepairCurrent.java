package io.pulley.agent.apply.handover;

import java.io.IOException;

/**
 * Current leads to the release. Already so after a switch; this finishes a handover cut short
 * between the socket link and current, which the next apply finds serving the release.
 */
final class RepairCurrent implements FinishStep {

  @Override
  public void run(Attempt attempt) throws IOException {
    HandoverTarget target = attempt.target();
    if (!target.current().leadsTo(target.release())) {
      target.current().pointAt(target.commit());
    }
  }
}
