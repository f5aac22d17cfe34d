package io.pulley.agent.apply.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Fetches in-process with JGit: file:// and https:// remotes, the latter with an access token as
 * the basic-auth password when the plan names one for that server. The URL is passed as it is, so
 * nothing (no token either) goes into the cache's config. Stateless and thread-safe.
 */
final class JGitFetcher implements Fetcher {

  /** Seconds one network read or connect may wait. */
  static final int TIMEOUT_SECONDS = 120;

  private final Optional<HttpsToken> token;

  JGitFetcher() {
    this(Optional.empty());
  }

  JGitFetcher(Optional<HttpsToken> token) {
    this.token = token;
  }

  @Override
  public Optional<String> fetch(Path gitDir, String url) {
    QuietRepositoryCache.install();
    try (Git git = Git.open(gitDir.toFile())) {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(
              new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
              new RefSpec("+refs/tags/*:refs/tags/*"))
          .setRemoveDeletedRefs(true)
          .setTimeout(TIMEOUT_SECONDS)
          .setCredentialsProvider(token.map(t -> t.credentialsFor(url)).orElse(null))
          .call();
      return Optional.empty();
    } catch (GitAPIException | IOException e) {
      String reason = Credentials.redact("fetch from " + url + " failed: " + e.getMessage());
      // The token is never in the message JGit makes; this keeps it so if that ever changes.
      return Optional.of(token.map(t -> reason.replace(t.token(), "***")).orElse(reason));
    }
  }
}
