package io.pulley.agent.apply;

import io.pulley.v1.ResourceOutcome;
import java.util.List;
import java.util.Objects;

/**
 * What converging one resource did: the outcome, a one-line reason and, for commands, the tail of
 * their output.
 */
public record Convergence(ResourceOutcome outcome, String reason, String outputTail) {

  public Convergence {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(outputTail, "outputTail");
  }

  public static Convergence unchanged(String reason) {
    return new Convergence(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED, reason, "");
  }

  public static Convergence changed(String reason) {
    return new Convergence(ResourceOutcome.RESOURCE_OUTCOME_CHANGED, reason, "");
  }

  public static Convergence failed(String reason) {
    return new Convergence(ResourceOutcome.RESOURCE_OUTCOME_FAILED, reason, "");
  }

  /** CHANGED listing {@code changes}, or UNCHANGED with {@code unchangedReason} if none. */
  public static Convergence of(List<String> changes, String unchangedReason) {
    return changes.isEmpty() ? unchanged(unchangedReason) : changed(String.join(", ", changes));
  }

  public Convergence withOutputTail(String tail) {
    return new Convergence(outcome, reason, tail);
  }

  public boolean failed() {
    return outcome == ResourceOutcome.RESOURCE_OUTCOME_FAILED;
  }
}
