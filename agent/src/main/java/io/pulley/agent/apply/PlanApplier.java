package io.pulley.agent.apply;

import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.InterruptedApply;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Applies host plans for the poll loop. {@link Applier} does it in the calling code's class loader;
 * the daemon uses one that loads the executors afresh for each apply and drops them afterwards, so
 * that an agent at rest does not keep them in memory.
 */
public interface PlanApplier {
  /** The apply that an earlier run of the agent left unfinished, if any. */
  Optional<InterruptedApply> interrupted();

  /** Applies {@code plan}; {@code stop} is checked before each resource. */
  Applier.Run apply(HostPlan plan, BooleanSupplier stop);
}
