package io.pulley.agent.apply.handover;

/**
 * A handover step failed after what it started was undone; carries the output that explains it
 * (a journal, a command's output), which may hold secrets until it is scrubbed.
 */
final class HandoverFailed extends Exception {
  private static final long serialVersionUID = 1L;

  private final String tail;

  HandoverFailed(String reason, String tail) {
    super(reason);
    this.tail = tail;
  }

  String tail() {
    return tail;
  }
}
