package io.pulley.agent.apply.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RefSpec;

/** Fetches in-process with JGit: file:// and https:// remotes. Stateless and thread-safe. */
final class JGitFetcher implements Fetcher {

  @Override
  public Optional<String> fetch(Path gitDir, String url) {
    try (Git git = Git.open(gitDir.toFile())) {
      git.fetch()
          .setRemote(url)
          .setRefSpecs(
              new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
              new RefSpec("+refs/tags/*:refs/tags/*"))
          .setRemoveDeletedRefs(true)
          .call();
      return Optional.empty();
    } catch (GitAPIException | IOException e) {
      return Optional.of(Credentials.redact("fetch from " + url + " failed: " + e.getMessage()));
    }
  }
}
