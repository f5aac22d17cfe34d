package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.systemd.StepFailed;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a uWSGI site and its Celery worker switch to a new release while they serve: the steps of one
 * handover in order, what a failure takes back, and the point from which nothing is taken back.
 * Start reading here; docs/handover.md tells the same to operators.
 *
 * <pre>
 * WriteUnits ─► AwaitSystemdStarts ─► StartWorker
 *              (at boot: systemd's        (if any)
 *               own starts end)
 *                           ─► does the release's instance already have the traffic?
 *                                 │
 *        ┌──────── no ────────────┼──────────── yes, and new code or settings to load ───┐
 *        ▼                        │ yes, nothing new                                     ▼
 * StartWebInstance                │                                   GracefulReload (a restart
 *                                 │                                   for a new environment file)
 *  ─► ProveOnOwnSocket            │                                                      │
 *  ─► SwitchLinks ─► CheckSite    │                                                      │
 *        │                        ▼                                                      │
 *        └─────────────► ══ live: nothing from here on is undone ══ ◄────────────────────┘
 *                                 │
 * RepairCurrent ─► Enable(web) ─► RetireWebInstances ─► EmptyCache (nginx's, once a release)
 *  ─► Enable(worker) ─► RetireWorkers
 *
 * A failure before "live" runs the undos registered so far, newest first:
 *   StartWorker       "worker U did not answer"      new worker stopped
 *   StartWebInstance  the start failed               new instance stopped, current back (reload
 *   ProveOnOwnSocket  "release X got no traffic"     mode), new worker stopped
 *   SwitchLinks,      "the site failed after the     links and current back, new instance
 *   CheckSite          switch to X, switched back"   stopped, new worker stopped
 *   GracefulReload    "graceful reload onto X        current back, the instance reloaded onto it
 *                      failed, reloaded back"        (restarted, after a restart)
 * </pre>
 *
 * <p>A failure of CheckSite or GracefulReload was seen by users: once switched back, that release
 * is held back for the rest of its revision ({@link SiteFailures}), so no retry shows it again.
 *
 * <p>Every step looks at what runs before it acts, so a handover cut short anywhere resumes on the
 * next apply, and a converged one changes nothing. One handover at a time.
 */
final class UwsgiSwitch {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final HandoverHost host;

  UwsgiSwitch(HandoverHost host) {
    this.host = host;
  }

  /** Hands the site over to {@code target}; CHANGED listing what changed, else UNCHANGED. */
  Convergence run(HandoverTarget target) throws StepFailed, IOException, InterruptedException {
    SiteFailures failures =
        new SiteFailures(target.context().stateDir(), target.spec().getWebUnit());
    long revision = target.context().revision();
    Optional<SiteFailures.Failure> seen = failures.of(revision, target.commit());
    if (seen.isPresent()) {
      throw new StepFailed(notAgain(target, seen.get()), "");
    }
    Attempt attempt = new Attempt(target, host);
    UndoStack undo = new UndoStack();
    try {
      undo.runOrUnwind(() -> goLive(attempt, undo));
    } catch (StepFailed e) {
      // Only once the switch back succeeded: an undo's own failure leaves the next apply to finish
      // taking it back, which a remembered failure would prevent.
      if (attempt.failureWithTraffic().filter(f -> f == e).isPresent()) {
        failures.remember(
            new SiteFailures.Failure(
                revision,
                target.commit(),
                host.clock().instant(),
                SecretScrubber.scrub(e.getMessage(), target.context())));
      }
      throw e;
    }
    failures.forget();
    for (FinishStep step : finishSteps(target)) {
      step.run(attempt);
    }
    return Convergence.of(attempt.changes(), "serving " + target.shortCommit());
  }

  /** Why a release whose site failed with the traffic is not handed the traffic again. */
  private static String notAgain(HandoverTarget target, SiteFailures.Failure failure) {
    return target.shortCommit()
        + " held back since "
        + TIME.format(failure.at())
        + " until a new revision: "
        + failure.reason();
  }

  private void goLive(Attempt attempt, UndoStack undo)
      throws StepFailed, IOException, InterruptedException {
    HandoverTarget target = attempt.target();
    new WriteUnits().run(attempt, undo);
    new AwaitSystemdStarts().run(attempt, undo);
    if (target.hasWorker()) {
      new StartWorker().run(attempt, undo);
    }
    Optional<String> live = target.liveInstance();
    boolean serving =
        live.equals(Optional.of(target.instance())) && host.systemctl().isActive(target.webUnit());
    if (!serving) {
      switchTraffic(attempt, undo, live);
    } else if (reloadWanted(target)) {
      // A failed reload takes back the web tier only: a worker started above keeps running beside
      // the old one, and the next apply reuses it.
      undo.forget();
      new GracefulReload(target.freshStartWanted()).run(attempt, undo);
    }
  }

  /** A new instance beside the live one (or the reload mode's first start), then the traffic. */
  private static void switchTraffic(Attempt attempt, UndoStack undo, Optional<String> live)
      throws StepFailed, IOException, InterruptedException {
    Optional<Path> previousCurrent = attempt.target().current().target();
    StartWebInstance start = new StartWebInstance(previousCurrent);
    start.run(attempt, undo);
    new ProveOnOwnSocket(start.started()).run(attempt, undo);
    new SwitchLinks(previousCurrent).run(attempt, undo);
    new CheckSite(live).run(attempt, undo);
  }

  /** Whether the live instance must load new code (the reload mode) or new settings. */
  private static boolean reloadWanted(HandoverTarget target) throws IOException {
    if (target.reloadMode()) {
      return target.restartWanted() || !target.current().leadsTo(target.release());
    }
    return target.restartWanted();
  }

  /**
   * The old web tier stops first: until then it may enqueue tasks only the old worker knows. The
   * cache is emptied once no old instance can answer a request any more.
   */
  private static List<FinishStep> finishSteps(HandoverTarget target) {
    List<FinishStep> steps =
        new ArrayList<>(
            List.of(
                new RepairCurrent(),
                new Enable(target.webUnit()),
                new RetireWebInstances(),
                new EmptyCache()));
    if (target.hasWorker()) {
      steps.add(new Enable(target.workerUnit()));
      steps.add(new RetireWorkers());
    }
    return steps;
  }
}
