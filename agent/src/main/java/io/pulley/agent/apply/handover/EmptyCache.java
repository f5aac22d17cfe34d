package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * nginx's response cache of the site is emptied once the release is live and the previous release's
 * instance has stopped: from then on no response of the previous release can land in it, so none is
 * served after this. Once per release ({@link CacheDirectory}): a converged handover deletes
 * nothing.
 */
final class EmptyCache implements FinishStep {

  @Override
  public void run(Attempt attempt) throws StepFailed, IOException {
    HandoverTarget target = attempt.target();
    String dir = target.spec().getCacheDir();
    if (dir.isEmpty()) {
      return;
    }
    OptionalLong deleted =
        new CacheDirectory(Path.of(dir), target.context().stateDir(), target.spec().getWebUnit())
            .emptyFor(target.commit());
    // An empty cache (the first release, a cache just turned on) is no change to report.
    if (deleted.isPresent() && deleted.getAsLong() > 0) {
      attempt.changed(
          "emptied the cache " + dir + " (" + deleted.getAsLong() + " files) for the new release");
    }
  }
}
