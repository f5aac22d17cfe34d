package io.pulley.controller.manifest;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves refs with one {@code ls-remote} call through JGit. Thread-safe: every call opens its own
 * connection.
 *
 * <ul>
 *   <li>A full 40-hex-digit commit id is taken as it is, without asking the remote: whether the
 *       remote has it shows when an agent fetches it.
 *   <li>A full ref name ({@code refs/heads/main}, {@code refs/tags/v1}, {@code HEAD}) is looked up
 *       as written.
 *   <li>A short name is looked up as a tag first, then as a branch, as {@code git rev-parse} does.
 *   <li>An annotated tag resolves to the commit it points at (the remote's peeled {@code ^{}}
 *       entry), not to the tag object.
 * </ul>
 */
public final class JGitRefResolver implements GitRefResolver, RemoteRefs {

  private static final Logger log = LoggerFactory.getLogger(JGitRefResolver.class);
  private static final Pattern FULL_COMMIT = Pattern.compile("[0-9a-fA-F]{40}");

  private final int timeoutSeconds;

  /** A resolver whose network calls give up after 20 seconds. */
  public JGitRefResolver() {
    this(Duration.ofSeconds(20));
  }

  public JGitRefResolver(Duration timeout) {
    if (timeout.isNegative() || timeout.toSeconds() < 1 || timeout.toSeconds() > 3600) {
      throw new IllegalArgumentException("timeout must be 1 s to 1 h, got " + timeout);
    }
    this.timeoutSeconds = (int) timeout.toSeconds();
  }

  @Override
  public RefResolution resolve(String url, String ref) {
    if (FULL_COMMIT.matcher(ref).matches()) {
      return RefResolution.resolved(ref.toLowerCase(Locale.ROOT));
    }
    Map<String, Ref> advertised;
    try {
      advertised = lsRemote(url);
    } catch (IOException | URISyntaxException | JGitInternalException e) {
      String reason = RemoteUrl.redact(String.valueOf(e.getMessage()));
      log.info("ls-remote failed url={} reason={}", RemoteUrl.redact(url), reason);
      return RefResolution.unreachable(reason);
    }
    for (String name : candidates(ref)) {
      Ref found = advertised.get(name);
      if (found != null && found.getObjectId() != null) {
        ObjectId peeled = found.getPeeledObjectId();
        return RefResolution.resolved((peeled != null ? peeled : found.getObjectId()).name());
      }
    }
    return RefResolution.notFound();
  }

  @Override
  public Map<String, String> list(String url) throws IOException {
    Map<String, Ref> advertised;
    try {
      advertised = lsRemote(url);
    } catch (IOException | URISyntaxException | JGitInternalException e) {
      // Without the cause: its message may carry the URL's credentials.
      throw new IOException(RemoteUrl.redact(String.valueOf(e.getMessage())));
    }
    Map<String, String> commits = new TreeMap<>();
    for (Map.Entry<String, Ref> ref : advertised.entrySet()) {
      ObjectId id = ref.getValue().getObjectId();
      if (id == null) {
        continue;
      }
      ObjectId peeled = ref.getValue().getPeeledObjectId();
      commits.put(ref.getKey(), (peeled != null ? peeled : id).name());
    }
    return commits;
  }

  private Map<String, Ref> lsRemote(String url) throws IOException, URISyntaxException {
    URIish uri = new URIish(url);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      try (Transport transport = Transport.open(uri)) {
        return advertisedRefs(transport);
      }
    }
    // Git's "dumb" HTTP protocol reads refs through a local repository even for ls-remote, so
    // HTTP gets a throw-away in-memory one (local file transports need a real file system).
    try (Repository scratch = new InMemoryRepository(new DfsRepositoryDescription("ls-remote"));
        Transport transport = Transport.open(scratch, uri)) {
      return advertisedRefs(transport);
    }
  }

  private Map<String, Ref> advertisedRefs(Transport transport) throws IOException {
    transport.setTimeout(timeoutSeconds);
    try (FetchConnection connection = transport.openFetch()) {
      return connection.getRefsMap();
    }
  }

  private static List<String> candidates(String ref) {
    if (ref.startsWith("refs/") || ref.equals("HEAD")) {
      return List.of(ref);
    }
    return List.of("refs/tags/" + ref, "refs/heads/" + ref);
  }
}
