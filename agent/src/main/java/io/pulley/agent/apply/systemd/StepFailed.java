package io.pulley.agent.apply.systemd;

/**
 * A step of a change made through systemd failed (a systemctl call, a handover's check); the
 * executor turns it into a FAILED result. Carries the output that explains it (a command's, a
 * journal), which may hold secrets until it is scrubbed.
 */
public final class StepFailed extends Exception {
  private static final long serialVersionUID = 1L;

  private final String tail;

  public StepFailed(String reason, String tail) {
    super(reason);
    this.tail = tail;
  }

  /** The failed command's output tail, not yet scrubbed. */
  public String tail() {
    return tail;
  }
}
