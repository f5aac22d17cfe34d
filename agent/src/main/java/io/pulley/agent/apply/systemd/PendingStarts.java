package io.pulley.agent.apply.systemd;

import io.pulley.agent.apply.health.RetryPause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Lets systemd finish bringing some units up before the agent looks at them. At boot the agent's
 * first apply runs beside systemd's own start jobs: its unit cannot be ordered after the units a
 * plan names (they are only known from the plan, and After=multi-user.target would be a cycle). A
 * unit whose start still waits for the database, or a Type=notify one still loading its
 * application, is not active yet; taken for stopped, it would be started again, reported as
 * changed, and whatever restarts on it restarted. Thread-safe as its seams are.
 */
public final class PendingStarts {
  /**
   * How long systemd may take: as long as a {@code systemctl start} of the agent's waits for its
   * job. Then the agent looks at the units as they are.
   */
  public static final Duration DEADLINE = Systemctl.JOB_TIMEOUT;

  static final Duration INTERVAL = Duration.ofMillis(250);

  private final Systemctl systemctl;
  private final RetryPause pause;
  private final Clock clock;

  public PendingStarts(Systemctl systemctl, RetryPause pause, Clock clock) {
    this.systemctl = systemctl;
    this.pause = pause;
    this.clock = clock;
  }

  /**
   * Returns once systemd starts none of {@code units} any more (each is up, or failed), or at the
   * {@link #DEADLINE}. Changes nothing.
   */
  public void waitOut(List<String> units) throws StepFailed, InterruptedException {
    Instant end = clock.instant().plus(DEADLINE);
    while (systemctl.starting(units) && clock.instant().isBefore(end)) {
      pause.pause(INTERVAL);
    }
  }
}
