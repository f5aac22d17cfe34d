package io.pulley.controller.manifest;

import io.pulley.v1.GitRelease;
import io.pulley.v1.StackGit;
import java.util.Optional;

/**
 * Turns the Git fields of a manifest (the stack's {@code git} or a {@code git_release} resource)
 * into a {@link GitRemote}: the named secrets' values and the host key to expect, pinned in the
 * manifest or trusted by the controller. Stateless.
 */
public final class GitRemotes {

  private GitRemotes() {}

  /** The Git fields that stack.git and a git_release resource share. */
  public record Source(
      String url, String deployKeySecret, String tokenSecret, String username, String hostKey) {

    public static Source of(StackGit git) {
      return new Source(
          git.getUrl(),
          git.getDeployKeySecret(),
          git.getTokenSecret(),
          git.getUsername(),
          git.getHostKey());
    }

    public static Source of(GitRelease release) {
      return new Source(
          release.getUrl(),
          release.getDeployKeySecret(),
          release.getTokenSecret(),
          release.getUsername(),
          release.getHostKey());
    }
  }

  /** What building a remote gave: the remote, or the secret that is not set. */
  public sealed interface Built {}

  /** The remote, ready to read. */
  public record Ready(GitRemote remote) implements Built {}

  /**
   * A secret the manifest names that the application does not have.
   *
   * @param field the manifest field naming it, relative to the Git section ("deploy_key_secret")
   * @param reason what is missing and how to set it
   */
  public record MissingSecret(String field, String reason) implements Built {}

  /** The remote {@code source} of {@code app} names, with what {@code access} knows. */
  public static Built build(AppEnv app, Source source, RemoteAccess access) {
    if (!source.deployKeySecret().isEmpty()) {
      Optional<String> key = access.secret(app, source.deployKeySecret());
      if (key.isEmpty()) {
        return missing(app, "deploy_key_secret", "deploy key", source.deployKeySecret(), "KEY");
      }
      return new Ready(GitRemote.ssh(source.url(), key.get(), expectedHostKey(source, access)));
    }
    if (!source.tokenSecret().isEmpty()) {
      Optional<String> token = access.secret(app, source.tokenSecret()).filter(t -> !t.isBlank());
      if (token.isEmpty()) {
        return missing(app, "token_secret", "token", source.tokenSecret(), "TOKEN");
      }
      return new Ready(GitRemote.https(source.url(), source.username(), token.get().strip()));
    }
    if (SshHostKey.isSsh(source.url())) {
      return new Ready(GitRemote.ssh(source.url(), "", expectedHostKey(source, access)));
    }
    return new Ready(GitRemote.anonymous(source.url()));
  }

  /** The key pinned in the manifest, else the one the controller trusts for the host, else none. */
  private static String expectedHostKey(Source source, RemoteAccess access) {
    if (!source.hostKey().isEmpty()) {
      return SshHostKey.normalise(source.hostKey());
    }
    return SshHostKey.hostPort(source.url()).flatMap(access::trustedHostKey).orElse("");
  }

  private static MissingSecret missing(
      AppEnv app, String field, String what, String name, String file) {
    return new MissingSecret(
        field,
        what
            + " secret \""
            + name
            + "\" is not set; set it first with `pulley secret set "
            + app.application()
            + " "
            + app.environment()
            + " "
            + name
            + " < "
            + file
            + "_FILE`");
  }
}
