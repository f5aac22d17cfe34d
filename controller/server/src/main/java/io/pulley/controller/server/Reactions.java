package io.pulley.controller.server;

import io.pulley.controller.events.ControllerEvent;
import io.pulley.controller.events.ControllerEvent.CommandsDone;
import io.pulley.controller.events.ControllerEvent.RevisionStored;
import io.pulley.controller.events.ControllerEvent.RolloutHalted;
import io.pulley.controller.events.ControllerEvent.RolloutMoved;
import io.pulley.controller.events.ControllerEvent.SecretsChanged;
import io.pulley.controller.events.Events;
import io.pulley.controller.poll.PollHub;
import io.pulley.controller.rollout.Rollouts;
import io.pulley.controller.tracking.Tracker;

/**
 * What the controller does when something happens: every reaction to every {@link ControllerEvent},
 * in one place and in the order they run. The life of a revision:
 *
 * <pre>
 *  pulley apply, rollback, promote, a tracked tag or a promote rule ──▶ RevisionLog stores
 *     revision N ──▶ RevisionStored
 *     1. Rollouts      N's rollout starts: which hosts get N now (a canary first), which keep
 *                      what they have; a rollout of an older revision is superseded
 *     2. Tracker       follows the ref the now-current manifest tracks; a rollback quarantines
 *                      the release left, for tracking and promotion alike
 *     3. PollHub       answers every held poll whose host's plan changed
 *  a host polls ──▶ PollHub: HostPlans renders its plan (the revisions Rollouts chose for it)
 *  a host reports ──▶ HostRegistry keeps it; the rollout tick reads it within a second;
 *                     DoneCommands records a command run once in an environment ──▶ CommandsDone
 *  every second ──▶ Rollouts.tick moves each rollout on ──▶ RolloutMoved, maybe RolloutHalted
 *  every second ──▶ Promoter.tick promotes where a promote rule's healthy time has passed
 *  a secret is set or generated ──▶ SecretsChanged
 * </pre>
 *
 * <p>Runs on the publisher's thread, under its lock (see {@link Events}); thread-safe as the parts
 * it calls are.
 */
final class Reactions implements Events {
  private final Rollouts rollouts;
  private final Tracker tracker;
  private final PollHub polls;

  Reactions(Rollouts rollouts, Tracker tracker, PollHub polls) {
    this.rollouts = rollouts;
    this.tracker = tracker;
    this.polls = polls;
  }

  @Override
  public void publish(ControllerEvent event) {
    if (event instanceof RevisionStored stored) {
      rollouts.revisionStored(stored.revision(), stored.previous());
      tracker.revisionStored(stored.revision(), stored.previous());
      polls.plansChanged();
    } else if (event instanceof SecretsChanged
        || event instanceof RolloutMoved
        || event instanceof CommandsDone) {
      // Plans carry secrets, the revisions the rollouts chose, and the commands not yet done:
      // they are rendered again.
      polls.plansChanged();
    } else if (event instanceof RolloutHalted halted) {
      // The release that failed is not tracked again until a newer one appears.
      tracker.halted(halted.rollout());
    } else {
      throw new IllegalArgumentException("no reaction to " + event);
    }
  }
}
