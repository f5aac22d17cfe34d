package io.pulley.controller.manifest;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves refs with one {@code ls-remote} call through JGit, in-process for every transport:
 * ssh:// with a deploy key held in memory (Apache MINA sshd), https:// with a token as the
 * basic-auth password ({@link RemoteReader}). Thread-safe: every call opens its own connection.
 *
 * <ul>
 *   <li>A full 40-hex-digit commit id is taken as it is: whether the remote has it shows when an
 *       agent fetches it. A public remote is not even asked; a private or SSH one is, to check the
 *       credentials and the host key.
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
    return resolve(GitRemote.anonymous(url), ref);
  }

  /**
   * As {@link #resolve(String, String)}, with {@code remote}'s credentials. A remote that needs
   * credentials or SSH is asked even for a full commit id, so that a wrong key or token, or a
   * changed host key, is refused when the manifest is applied and not only when hosts fetch.
   */
  @Override
  public RefResolution resolve(GitRemote remote, String ref) {
    boolean commitId = FULL_COMMIT.matcher(ref).matches();
    if (commitId && !remote.hasCredentials() && !SshHostKey.isSsh(remote.url())) {
      return RefResolution.resolved(ref.toLowerCase(Locale.ROOT));
    }
    RemoteReader.Listing listing;
    try {
      listing = RemoteReader.read(remote, timeoutSeconds);
    } catch (RemoteFailure e) {
      log.info("ls-remote failed remote={} reason={}", remote, e.getMessage());
      return RefResolution.refused(e.field(), e.getMessage());
    }
    if (commitId) {
      return RefResolution.resolved(ref.toLowerCase(Locale.ROOT), listing.hostKey());
    }
    for (String name : candidates(ref)) {
      Ref found = listing.refs().get(name);
      if (found != null && found.getObjectId() != null) {
        ObjectId peeled = found.getPeeledObjectId();
        return RefResolution.resolved(
            (peeled != null ? peeled : found.getObjectId()).name(), listing.hostKey());
      }
    }
    return RefResolution.notFound();
  }

  @Override
  public Map<String, String> list(String url) throws IOException {
    return list(GitRemote.anonymous(url));
  }

  @Override
  public Map<String, String> list(GitRemote remote) throws IOException {
    RemoteReader.Listing listing;
    try {
      listing = RemoteReader.read(remote, timeoutSeconds);
    } catch (RemoteFailure e) {
      // The reason only: it is made to hold no credentials.
      throw new IOException(e.field() + ": " + e.getMessage());
    }
    Map<String, String> commits = new TreeMap<>();
    for (Map.Entry<String, Ref> ref : listing.refs().entrySet()) {
      ObjectId id = ref.getValue().getObjectId();
      if (id == null) {
        continue;
      }
      ObjectId peeled = ref.getValue().getPeeledObjectId();
      commits.put(ref.getKey(), (peeled != null ? peeled : id).name());
    }
    return commits;
  }

  private static List<String> candidates(String ref) {
    if (ref.startsWith("refs/") || ref.equals("HEAD")) {
      return List.of(ref);
    }
    return List.of("refs/tags/" + ref, "refs/heads/" + ref);
  }
}
