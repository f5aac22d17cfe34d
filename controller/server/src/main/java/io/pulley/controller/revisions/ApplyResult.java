package io.pulley.controller.revisions;

import io.pulley.v1.ManifestError;
import io.pulley.v1.Revision;
import java.util.List;
import java.util.Optional;

/** The outcome of applying a manifest. */
public sealed interface ApplyResult {

  /** The manifest has mistakes; nothing was stored. */
  record Rejected(List<ManifestError> errors) implements ApplyResult {}

  /** The caller may not change this application and environment (its scopes); nothing stored. */
  record Forbidden(io.pulley.controller.manifest.AppEnv app) implements ApplyResult {}

  /**
   * The manifest is valid. {@code revision} is the new revision if one was stored, else the current
   * one (absent for a new application in a dry run); {@code notices} are what the admin should
   * check, such as a host key trusted on first use.
   */
  record Accepted(
      Optional<Revision> revision,
      boolean changed,
      String diff,
      boolean dryRun,
      List<String> notices)
      implements ApplyResult {

    public Accepted {
      notices = List.copyOf(notices);
    }

    public Accepted(Optional<Revision> revision, boolean changed, String diff, boolean dryRun) {
      this(revision, changed, diff, dryRun, List.of());
    }
  }
}
