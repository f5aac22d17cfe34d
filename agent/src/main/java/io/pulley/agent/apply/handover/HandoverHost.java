package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.health.RetryPause;
import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;
import io.pulley.agent.apply.systemd.UnitFiles;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What a handover acts through: systemd, Celery's remote control, the waits for readiness, a
 * retiring instance's stats, the site check through nginx, and time. The seams that tests replace;
 * thread-safe as its parts are.
 *
 * @param unitDir where unit files are written
 */
record HandoverHost(
    Systemctl systemctl,
    CeleryControl celery,
    Readiness readiness,
    HandoverExecutor.StatsReader stats,
    HandoverExecutor.SiteCheck siteCheck,
    RetryPause pause,
    Clock clock,
    Path unitDir) {

  /** The unit files, with an owed daemon-reload recorded in {@code stateDir}. */
  UnitFiles unitFiles(Path stateDir) {
    return new UnitFiles(unitDir, stateDir, systemctl);
  }

  /** Starts {@code unit}; a failed start carries the unit's journal, which says why. */
  void startOrExplain(String unit) throws StepFailed, InterruptedException {
    startOrExplain(unit, false);
  }

  /** Starts {@code unit}, or restarts it if {@code restart}; a failure carries its journal. */
  void startOrExplain(String unit, boolean restart) throws StepFailed, InterruptedException {
    try {
      if (restart) {
        systemctl.restart(unit);
      } else {
        systemctl.start(unit);
      }
    } catch (StepFailed e) {
      throw new StepFailed(e.getMessage(), e.tail() + systemctl.journal(unit));
    }
  }
}
