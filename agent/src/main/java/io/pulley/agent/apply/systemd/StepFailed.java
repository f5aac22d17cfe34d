package io.pulley.agent.apply.systemd;

/**
 * A systemctl step failed; the executor turns it into a FAILED result. Carries the command's
 * output, which may hold secrets until it is scrubbed.
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
