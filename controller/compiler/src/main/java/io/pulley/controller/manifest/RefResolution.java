package io.pulley.controller.manifest;

import com.google.re2j.Pattern;
import java.util.Objects;

/**
 * What resolving a Git ref gave: a commit, a ref the remote does not have, or a remote that could
 * not be asked (or refused the credentials).
 *
 * @param outcome which of the three it is
 * @param commit the 40-hex-digit commit id when {@link Outcome#RESOLVED}, else empty
 * @param reason why the remote could not be asked when {@link Outcome#UNREACHABLE}, else empty;
 *     never carries credentials
 * @param field which field of the Git section the failure is about when {@link Outcome#UNREACHABLE}
 *     ("url", "deploy_key_secret", "token_secret", "host_key"), else empty
 * @param hostKey the SSH host key the remote showed and was accepted, as an OpenSSH public key
 *     line, when it was read over SSH; else empty
 */
public record RefResolution(
    Outcome outcome, String commit, String reason, String field, String hostKey) {

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
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(hostKey, "hostKey");
    if (outcome == Outcome.RESOLVED && !COMMIT.matcher(commit).matches()) {
      throw new IllegalArgumentException("not a 40-hex-digit commit id: \"" + commit + "\"");
    }
  }

  public static RefResolution resolved(String commit) {
    return resolved(commit, "");
  }

  /** Resolved over SSH, from a remote that showed {@code hostKey}. */
  public static RefResolution resolved(String commit, String hostKey) {
    return new RefResolution(Outcome.RESOLVED, commit, "", "", hostKey);
  }

  public static RefResolution notFound() {
    return new RefResolution(Outcome.NOT_FOUND, "", "", "", "");
  }

  /** The remote could not be read; the URL is to blame as far as anyone can tell. */
  public static RefResolution unreachable(String reason) {
    return refused("url", reason);
  }

  /** The remote could not be read because of what {@code field} says (a key, a token). */
  public static RefResolution refused(String field, String reason) {
    return new RefResolution(Outcome.UNREACHABLE, "", reason, field, "");
  }
}
