package io.pulley.controller.store;

import java.util.Objects;

/**
 * A release tracking can deploy: a tag or branch of a Git remote ({@code ref}) at one commit. Kept
 * per application and environment when quarantined, so that the same ref at the same commit is not
 * deployed again. Immutable.
 */
public record Release(String ref, String commit) {
  public Release {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(commit, "commit");
  }
}
