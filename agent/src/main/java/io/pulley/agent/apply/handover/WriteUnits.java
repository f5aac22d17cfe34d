package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.UnitFiles;
import io.pulley.v1.lite.Handover;
import java.io.IOException;

/**
 * The web and worker template units, written only when different, and systemd reloaded if one was
 * or a reload is still owed from an earlier apply. Registers no undo: a template is the declared
 * content, and running instances read it only when they start.
 */
final class WriteUnits implements SwitchStep {

  @Override
  public void run(Attempt attempt, UndoStack undo)
      throws StepFailed, IOException, InterruptedException {
    HandoverTarget target = attempt.target();
    Handover spec = target.spec();
    UnitFiles files = attempt.host().unitFiles(target.context().stateDir());
    write(attempt, files, spec.getWebUnit(), spec.getWebUnitContent());
    if (target.hasWorker()) {
      write(attempt, files, spec.getWorkerUnit(), spec.getWorkerUnitContent());
    }
    files.reloadIfOwed();
  }

  private static void write(Attempt attempt, UnitFiles files, String name, String content)
      throws IOException {
    if (files.write(name, content)) {
      attempt.changed("unit " + name + " written");
    }
  }
}
