package io.pulley.agent.apply.git;

import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * An access token for one HTTPS server, sent as the password of HTTP basic authentication and only
 * to that server (a submodule elsewhere is fetched without it). Kept in memory: never in a URL, a
 * file or a command line. {@link #toString()} shows no token.
 *
 * @param server the server the token is for
 * @param username the user name sent with it
 * @param token the token
 */
record HttpsToken(RemoteHost server, String username, String token) {

  /** The user name sent when the plan names none. */
  static final String DEFAULT_USERNAME = "x-access-token";

  /** Credentials for a fetch from {@code url}, or null if the token is not for its server. */
  CredentialsProvider credentialsFor(String url) {
    boolean sameServer =
        url.regionMatches(true, 0, "https://", 0, 8)
            && RemoteHost.of(url).map(server::equals).orElse(false);
    return sameServer ? new UsernamePasswordCredentialsProvider(username, token) : null;
  }

  @Override
  public String toString() {
    return "token for " + server.knownHostsName() + " as " + username;
  }
}
