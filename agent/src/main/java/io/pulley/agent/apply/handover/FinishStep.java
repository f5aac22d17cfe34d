package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import java.io.IOException;

/**
 * A step of a handover once the release is live (enable it, retire the old): never undone, as the
 * site already answered on the new release; one that fails is finished by the next apply, since
 * each step looks at what still runs before it acts. Not thread-safe: one handover at a time.
 */
@FunctionalInterface
interface FinishStep {
  void run(Attempt attempt) throws StepFailed, IOException, InterruptedException;
}
