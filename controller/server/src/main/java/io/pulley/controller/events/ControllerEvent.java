package io.pulley.controller.events;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import java.util.Optional;

/**
 * Something that happened in the controller that other parts act on: published by the part that
 * made it happen, acted on in one place (the server's {@code Reactions}). Immutable.
 */
public sealed interface ControllerEvent {

  /** A revision was stored (an apply, a rollback, or tracking); {@code previous} was current. */
  record RevisionStored(Revision revision, Optional<Revision> previous)
      implements ControllerEvent {}

  /** An application's secrets changed with no new revision: plans that carry them are stale. */
  record SecretsChanged(AppEnv app) implements ControllerEvent {}

  /** An application's rollout moved on, was controlled or superseded: hosts' revisions may move. */
  record RolloutMoved(AppEnv app) implements ControllerEvent {}

  /**
   * A command run once in an environment, ever, has succeeded there for the first time: plans of
   * the environment that still carry it are stale.
   */
  record CommandsDone(AppEnv app) implements ControllerEvent {}

  /** A rollout halted at its first failure (after {@link RolloutMoved} for the same change). */
  record RolloutHalted(Rollout rollout) implements ControllerEvent {}
}
