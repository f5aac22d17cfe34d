package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;

/**
 * A live unit is enabled, so that after a reboot the live instance starts (and recreates the socket
 * link) and the live worker consumes again. Enabled only once live: a release that was switched
 * back must not come up at boot.
 */
final class Enable implements FinishStep {
  private final String unit;

  Enable(String unit) {
    this.unit = unit;
  }

  @Override
  public void run(Attempt attempt) throws StepFailed, InterruptedException {
    if (attempt.systemctl().enable(unit)) {
      attempt.changed("enabled " + unit);
    }
  }
}
