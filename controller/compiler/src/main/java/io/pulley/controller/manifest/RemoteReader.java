package io.pulley.controller.manifest;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Reads what one remote advertises ({@code ls-remote}) with its credentials: over SSH through
 * {@link SshAccess}, over HTTPS with the token as the basic-auth password, with a time limit on
 * every network wait and, over SSH and HTTP(S), an {@link AdvertisementBudget} on the whole
 * listing. Nothing is written to disk. Stateless.
 */
final class RemoteReader {

  /** The refs a remote advertises, and the SSH host key it showed (empty if not SSH). */
  record Listing(Map<String, Ref> refs, String hostKey) {}

  private RemoteReader() {}

  static Listing read(GitRemote remote, int timeoutSeconds) throws RemoteFailure {
    return read(remote, timeoutSeconds, AdvertisementBudget.standard());
  }

  /** As {@link #read(GitRemote, int)}, reading SSH and HTTP(S) remotes within {@code budget}. */
  static Listing read(GitRemote remote, int timeoutSeconds, AdvertisementBudget budget)
      throws RemoteFailure {
    URIish uri;
    try {
      uri = new URIish(remote.url());
    } catch (URISyntaxException e) {
      throw new RemoteFailure("url", RemoteUrl.redact(String.valueOf(e.getMessage())));
    }
    if (SshHostKey.isSsh(remote.url())) {
      try (SshAccess ssh = SshAccess.of(remote)) {
        try (Transport transport = Transport.open(uri)) {
          if (transport instanceof SshTransport sshTransport) {
            sshTransport.setSshSessionFactory(new BudgetedSshSessions(ssh.factory(), budget));
          }
          return new Listing(advertised(transport, timeoutSeconds), ssh.shownKey());
        } catch (IOException | JGitInternalException e) {
          throw RemoteFailure.of(e, remote, ssh);
        }
      }
    }
    try {
      return new Listing(open(uri, remote, timeoutSeconds, budget), "");
    } catch (IOException | JGitInternalException e) {
      throw RemoteFailure.of(e, remote, null);
    }
  }

  private static Map<String, Ref> open(
      URIish uri, GitRemote remote, int timeoutSeconds, AdvertisementBudget budget)
      throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      try (Transport transport = Transport.open(uri)) {
        return advertised(transport, timeoutSeconds);
      }
    }
    // Git's "dumb" HTTP protocol reads refs through a local repository even for ls-remote, so
    // HTTP gets a throw-away in-memory one (local file transports need a real file system).
    try (Repository scratch = new InMemoryRepository(new DfsRepositoryDescription("ls-remote"));
        Transport transport = Transport.open(scratch, uri)) {
      if (transport instanceof TransportHttp http) {
        http.setHttpConnectionFactory(new BudgetedHttpConnections(budget));
      }
      if (!remote.token().isEmpty()) {
        transport.setCredentialsProvider(
            new UsernamePasswordCredentialsProvider(remote.username(), remote.token()));
      }
      return advertised(transport, timeoutSeconds);
    }
  }

  private static Map<String, Ref> advertised(Transport transport, int timeoutSeconds)
      throws IOException {
    transport.setTimeout(timeoutSeconds);
    try (FetchConnection connection = transport.openFetch()) {
      return connection.getRefsMap();
    }
  }
}
