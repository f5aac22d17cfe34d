package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import java.io.IOException;

/**
 * A step of a handover before the release is live, in the manner of Nomad's task lifecycle hooks:
 * it looks at what runs before it acts (an instance already started is reused, so a handover cut
 * short anywhere resumes on the next apply), and for a change it makes it registers on the undo
 * stack how to take it back should a later step fail. A step that fails throws; {@link UwsgiSwitch}
 * then runs the undos. Not thread-safe: one handover at a time.
 */
@FunctionalInterface
interface SwitchStep {
  void run(Attempt attempt, UndoStack undo) throws StepFailed, IOException, InterruptedException;
}
