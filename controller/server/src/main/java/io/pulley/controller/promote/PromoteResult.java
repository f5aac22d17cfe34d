package io.pulley.controller.promote;

import io.pulley.v1.ManifestError;
import io.pulley.v1.PromotedFrom;
import io.pulley.v1.Revision;
import java.util.List;

/** The outcome of a promotion. */
public sealed interface PromoteResult {

  /** One of the two environments has no revision (or a name is missing); nothing was stored. */
  record NotFound(String reason) implements PromoteResult {}

  /**
   * The source runs no live, healthy release, or the two environments cannot share one; nothing was
   * stored.
   */
  record Refused(String reason) implements PromoteResult {}

  /** The target's manifest with the source's release does not compile; nothing was stored. */
  record Rejected(List<ManifestError> errors) implements PromoteResult {}

  /**
   * {@code revision} is the target's new revision if one was stored, else its current one; {@code
   * changed} false means the target already runs that release with those settings.
   */
  record Promoted(
      Revision revision,
      boolean changed,
      String diff,
      boolean dryRun,
      PromotedFrom from,
      List<String> notices)
      implements PromoteResult {
    public Promoted {
      notices = List.copyOf(notices);
    }
  }
}
