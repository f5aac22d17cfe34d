package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.Systemctl;
import io.pulley.agent.files.Symlinks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The traffic moves. The socket link nginx connects to, the HTTP socket link if any, and current
 * move onto the new instance and release, each by one rename: nginx resolves the path at every
 * connect, so new connections go to the new instance and those in flight finish on the old. Undo:
 * the links go back where they were, the instance finishes what nginx sent it meanwhile ({@link
 * Drain}), and it stops, even one an earlier apply started, since it has now had traffic and
 * failed.
 */
final class SwitchLinks implements SwitchStep {
  private final Optional<Path> previousCurrent;

  /**
   * @param previousCurrent where current pointed before this handover (the reload mode moved it
   *     already)
   */
  SwitchLinks(Optional<Path> previousCurrent) {
    this.previousCurrent = previousCurrent;
  }

  @Override
  public void run(Attempt attempt, UndoStack undo) throws IOException {
    HandoverTarget target = attempt.target();
    Systemctl systemctl = attempt.systemctl();
    String unit = target.webUnit();
    Optional<Path> previousSocket = Symlinks.target(target.socketLink());
    Optional<Path> http = target.httpSocketLink();
    Optional<Path> previousHttp = http.isPresent() ? Symlinks.target(http.get()) : Optional.empty();
    undo.pushOnce("stop " + unit, () -> systemctl.stop(unit));
    // Once the links are back, and before it stops: what nginx sent it meanwhile finishes there.
    undo.push(
        "drain " + unit,
        () -> {
          Drain.queued(attempt);
          Drain.untilIdle(attempt, target.web().stats(target.instance()));
        });
    // Registered before the first rename: a switch that fails halfway is put back as well.
    undo.push(
        "links back",
        () -> {
          putBack(target.socketLink(), previousSocket);
          if (http.isPresent()) {
            putBack(http.get(), previousHttp);
          }
          target.current().restore(previousCurrent);
        });
    String instance = target.instance();
    Symlinks.replace(target.socketLink(), target.web().socket(instance).getFileName());
    if (http.isPresent()) {
      Symlinks.replace(http.get(), target.web().httpSocket(instance).getFileName());
    }
    target.current().pointAt(target.commit());
  }

  private static void putBack(Path link, Optional<Path> previous) throws IOException {
    if (previous.isPresent()) {
      Symlinks.replace(link, previous.get());
    }
  }
}
