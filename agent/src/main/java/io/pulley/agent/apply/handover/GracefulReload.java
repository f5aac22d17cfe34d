package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.systemd.StepFailed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The reload mode's switch, and new settings for a live release in either mode: current moves onto
 * the release and the live instance reloads gracefully (master FIFO {@code r}: workers finish their
 * requests, the master re-executes and imports the code through current). It must then accept,
 * answer on its own socket and through nginx. Undo: current moves back, and the instance reloads
 * onto it.
 */
final class GracefulReload implements SwitchStep {

  @Override
  public void run(Attempt attempt, UndoStack undo)
      throws StepFailed, IOException, InterruptedException {
    HandoverTarget target = attempt.target();
    String instance = target.instance();
    Optional<Path> previous = target.current().target();
    target.current().pointAt(target.commit());
    undo.push(
        "current back, reloaded",
        () -> {
          if (target.current().restore(previous)) {
            reload(target);
          }
        });
    reload(target);
    Optional<String> unhealthy =
        attempt
            .host()
            .readiness()
            .webAnswers(target.web(), instance, target.spec().getWebCheck(), true);
    Convergence site =
        unhealthy.isPresent()
            ? Convergence.failed(unhealthy.get())
            : attempt.host().siteCheck().check(target.spec().getSiteCheck(), target.context());
    if (site.failed()) {
      throw new StepFailed(
          "graceful reload onto "
              + target.shortCommit()
              + " failed, reloaded back: "
              + site.reason(),
          attempt.systemctl().journal(target.webUnit()));
    }
    attempt.changed("reloaded " + target.webUnit() + " gracefully");
  }

  /** Asks the instance to reload; its readiness file comes back once a worker accepts again. */
  private static void reload(HandoverTarget target) throws IOException {
    Files.deleteIfExists(target.web().ready(target.instance()));
    MasterFifo.send(target.web().fifo(target.instance()), 'r');
  }
}
