package io.pulley.packaging.harness;

import java.util.List;

/**
 * What a command printed and how it ended. A command that ran past its timeout was killed and has
 * {@code timedOut} set and exit code -1.
 */
public record ExecResult(
    List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut) {

  public ExecResult {
    argv = List.copyOf(argv);
  }

  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }

  /** Returns this result, or throws with the command, exit code and output if it failed. */
  public ExecResult orThrow() {
    if (!ok()) {
      throw new IllegalStateException(describe());
    }
    return this;
  }

  /** A one-paragraph account for failure messages: command, outcome and both outputs' tails. */
  public String describe() {
    String outcome = timedOut ? "timed out" : "exited " + exitCode;
    return String.join(" ", argv)
        + " "
        + outcome
        + "\n--- stdout ---\n"
        + tail(stdout)
        + "\n--- stderr ---\n"
        + tail(stderr);
  }

  static String tail(String text) {
    int max = 4000;
    return text.length() <= max ? text : "…" + text.substring(text.length() - max);
  }
}
