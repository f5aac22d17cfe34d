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
 *
 * <p>A new environment file needs a restart instead: the re-executed master keeps the environment
 * systemd gave it when it started, so only systemd starting the unit again reads the file. The
 * restart ({@code fresh}) is checked and undone in the same way; unlike a graceful reload it stops
 * serving while the instance stops and loads again.
 */
final class GracefulReload implements SwitchStep {

  private final boolean fresh;

  /**
   * @param fresh restart the instance through systemd rather than reload it gracefully
   */
  GracefulReload(boolean fresh) {
    this.fresh = fresh;
  }

  @Override
  public void run(Attempt attempt, UndoStack undo)
      throws StepFailed, IOException, InterruptedException {
    HandoverTarget target = attempt.target();
    String instance = target.instance();
    Optional<Path> previous = target.current().target();
    target.current().pointAt(target.commit());
    undo.push(
        fresh ? "current back, restarted" : "current back, reloaded",
        () -> {
          if (target.current().restore(previous)) {
            reload(attempt);
          }
        });
    reload(attempt);
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
      throw attempt.failedWithTraffic(
          new StepFailed(
              (fresh ? "restart onto " : "graceful reload onto ")
                  + target.shortCommit()
                  + " failed, "
                  + (fresh ? "restarted back: " : "reloaded back: ")
                  + site.reason(),
              attempt.systemctl().journal(target.webUnit())));
    }
    attempt.changed(
        fresh
            ? "restarted " + target.webUnit() + " (its environment file changed)"
            : "reloaded " + target.webUnit() + " gracefully");
  }

  /** Asks the instance to reload or restart; its readiness file comes back once it accepts. */
  private void reload(Attempt attempt) throws IOException, StepFailed, InterruptedException {
    HandoverTarget target = attempt.target();
    Files.deleteIfExists(target.web().ready(target.instance()));
    if (fresh) {
      attempt.host().startOrExplain(target.webUnit(), true);
    } else {
      MasterFifo.send(target.web().fifo(target.instance()), 'r');
    }
  }
}
