package io.pulley.controller.manifest;

import java.util.Objects;

/**
 * A Git remote and what reaching it takes: for ssh:// a deploy key and the host key to expect, for
 * https:// a user name and token. Immutable. Holds secret values in memory only: {@link
 * #toString()} shows neither the key nor the token, and nothing here writes them anywhere.
 *
 * @param url the remote URL, without credentials
 * @param privateKey an OpenSSH private key, or empty for none
 * @param hostKey the host key to accept as an OpenSSH public key line, or empty to accept the one
 *     the remote shows (trust on first use)
 * @param username the user name sent with {@code token}
 * @param token an access token sent as the HTTP basic password, or empty for none
 */
public record GitRemote(
    String url, String privateKey, String hostKey, String username, String token) {

  /** The user name sent with a token when the manifest names none. */
  public static final String DEFAULT_USERNAME = "x-access-token";

  public GitRemote {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(hostKey, "hostKey");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(token, "token");
  }

  /** A remote read without credentials. */
  public static GitRemote anonymous(String url) {
    return new GitRemote(url, "", "", "", "");
  }

  /** An ssh:// remote read with {@code privateKey}, accepting only {@code hostKey} if not empty. */
  public static GitRemote ssh(String url, String privateKey, String hostKey) {
    return new GitRemote(url, privateKey, hostKey, "", "");
  }

  /** An https:// remote read as {@code username} (empty: the default) with {@code token}. */
  public static GitRemote https(String url, String username, String token) {
    return new GitRemote(url, "", "", username.isEmpty() ? DEFAULT_USERNAME : username, token);
  }

  /** True if reading the remote needs a secret. */
  public boolean hasCredentials() {
    return !privateKey.isEmpty() || !token.isEmpty();
  }

  /** The URL, without user information, and which credentials go with it; never their values. */
  @Override
  public String toString() {
    String with =
        !privateKey.isEmpty() ? " with a deploy key" : !token.isEmpty() ? " with a token" : "";
    return RemoteUrl.redact(url) + with;
  }
}
