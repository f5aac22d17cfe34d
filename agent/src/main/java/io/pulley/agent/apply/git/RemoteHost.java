package io.pulley.agent.apply.git;

import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.transport.URIish;

/**
 * The server a remote URL names, as ssh and credentials compare it: host and port, the port being
 * the scheme's default when the URL names none.
 *
 * @param host lower-case host name or address
 * @param port the TCP port
 */
record RemoteHost(String host, int port) {

  /** The server of {@code url}, or empty for a local or unreadable URL, or an odd host name. */
  static Optional<RemoteHost> of(String url) {
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty() || !plain(host)) {
      return Optional.empty();
    }
    int port = uri.getPort();
    if (port <= 0) {
      String scheme = uri.getScheme() == null ? "ssh" : uri.getScheme().toLowerCase(Locale.ROOT);
      port =
          switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            default -> 22;
          };
    }
    return Optional.of(new RemoteHost(host.toLowerCase(Locale.ROOT), port));
  }

  /** How known_hosts names this server: "host" on port 22, else "[host]:port". */
  String knownHostsName() {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  // Letters, digits, '.', '-' and ':' (IPv6): nothing that known_hosts reads as a pattern.
  private static boolean plain(String host) {
    return host.length() <= 253
        && host.chars()
            .allMatch(
                c ->
                    (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '.'
                        || c == '-'
                        || c == ':');
  }
}
