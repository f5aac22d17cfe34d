package io.pulley.controller.revisions;

import io.pulley.v1.Revision;

/** The outcome of a rollback. */
public sealed interface RollbackResult {

  /** There is no such revision to roll back to. */
  record NotFound() implements RollbackResult {}

  /** {@code revision} is the new revision, or the current one if it already had that content. */
  record RolledBack(Revision revision, boolean changed) implements RollbackResult {}
}
