package io.pulley.controller.manifest;

import com.google.re2j.Pattern;
import java.util.Objects;

/**
 * What resolving a Git ref gave: a commit, a ref the remote does not have, or a remote that could
 * not be asked.
 *
 * @param outcome which of the three it is
 * @param commit the 40-hex-digit commit id when {@link Outcome#RESOLVED}, else empty
 * @param reason why the remote could not be asked when {@link Outcome#UNREACHABLE}, else empty;
 *     never carries credentials
 */
public record RefResolution(Outcome outcome, String commit, String reason) {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  /** The three outcomes of a resolution. */
  public enum Outcome {
    RESOLVED,
    NOT_FOUND,
    UNREACHABLE
  }

  public RefResolution {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(reason, "reason");
    if (outcome == Outcome.RESOLVED && !COMMIT.matcher(commit).matches()) {
      throw new IllegalArgumentException("not a 40-hex-digit commit id: \"" + commit + "\"");
    }
  }

  public static RefResolution resolved(String commit) {
    return new RefResolution(Outcome.RESOLVED, commit, "");
  }

  public static RefResolution notFound() {
    return new RefResolution(Outcome.NOT_FOUND, "", "");
  }

  public static RefResolution unreachable(String reason) {
    return new RefResolution(Outcome.UNREACHABLE, "", reason);
  }
}
