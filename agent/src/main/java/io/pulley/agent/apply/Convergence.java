package io.pulley.agent.apply;

import io.pulley.v1.lite.ResourceOutcome;
import java.util.List;
import java.util.Objects;

/**
 * What converging one resource did: the outcome, a one-line reason, for commands the tail of their
 * output, and what drift was found (reality changed behind the agent's back), if any.
 */
public record Convergence(ResourceOutcome outcome, String reason, String outputTail, String drift) {

  public Convergence {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(outputTail, "outputTail");
    Objects.requireNonNull(drift, "drift");
  }

  public static Convergence unchanged(String reason) {
    return new Convergence(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED, reason, "", "");
  }

  public static Convergence changed(String reason) {
    return new Convergence(ResourceOutcome.RESOURCE_OUTCOME_CHANGED, reason, "", "");
  }

  public static Convergence failed(String reason) {
    return new Convergence(ResourceOutcome.RESOURCE_OUTCOME_FAILED, reason, "", "");
  }

  /** CHANGED listing {@code changes}, or UNCHANGED with {@code unchangedReason} if none. */
  public static Convergence of(List<String> changes, String unchangedReason) {
    return changes.isEmpty() ? unchanged(unchangedReason) : changed(String.join(", ", changes));
  }

  public Convergence withReason(String newReason) {
    return new Convergence(outcome, newReason, outputTail, drift);
  }

  public Convergence withOutputTail(String tail) {
    return new Convergence(outcome, reason, tail, drift);
  }

  /** The same outcome, reporting that {@code found} had drifted from the last converge. */
  public Convergence withDrift(String found) {
    return new Convergence(outcome, reason, outputTail, found);
  }

  public boolean changed() {
    return outcome == ResourceOutcome.RESOURCE_OUTCOME_CHANGED;
  }

  public boolean failed() {
    return outcome == ResourceOutcome.RESOURCE_OUTCOME_FAILED;
  }
}
