package io.pulley.agent.apply.git;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.v1.lite.GitRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Deploys one commit of a Git repository as ROOT/releases/COMMIT and, unless {@code checkout_only},
 * points ROOT/current at it (see {@link ReleaseLinker}).
 *
 * <p>Layout under ROOT: {@code .pulley/repo.git} is a bare cache of the remote, kept under the
 * release root rather than the agent's data dir so it sits on the same filesystem as the releases,
 * inside the allowed roots, and goes away with the application; {@code .pulley/releases.log}
 * records switch order and {@code .pulley/checkouts.log} checkout order for pruning. ssh:// remotes
 * are fetched with the system's git and the deploy key secret, accepting only the host key the plan
 * pins; others in-process with JGit, https:// ones with the token secret as the basic-auth
 * password. Idempotent; one apply at a time.
 */
public final class GitReleaseExecutor implements ResourceExecutor<GitRelease> {
  static final int DEFAULT_KEEP = ReleaseLinker.DEFAULT_KEEP;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private final PathGuard guard;
  private final String ssh;

  public GitReleaseExecutor(PathGuard guard) {
    this(guard, "ssh");
  }

  /**
   * @param ssh the ssh program the system git runs for ssh:// remotes
   */
  GitReleaseExecutor(PathGuard guard, String ssh) {
    this.guard = guard;
    this.ssh = ssh;
  }

  @Override
  public Convergence converge(GitRelease spec, ApplyContext context) throws IOException {
    Optional<String> refused = guard.check(spec.getRoot());
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    if (!COMMIT.matcher(spec.getCommit()).matches()) {
      return Convergence.failed(
          "commit '" + spec.getCommit() + "' is not a 40-hex-digit id (ref " + spec.getRef() + ")");
    }
    if (spec.getKeep() < 0) {
      return Convergence.failed("keep must not be negative, got " + spec.getKeep());
    }
    Optional<String> key = Optional.empty();
    if (!spec.getDeployKeySecret().isEmpty()) {
      key = context.secret(spec.getDeployKeySecret());
      if (key.isEmpty()) {
        return Convergence.failed(
            "deploy key secret '"
                + spec.getDeployKeySecret()
                + "' is not among the application's secrets");
      }
    }
    Optional<HttpsToken> token = Optional.empty();
    if (!spec.getTokenSecret().isEmpty()) {
      Optional<String> value = context.secret(spec.getTokenSecret()).filter(t -> !t.isBlank());
      Optional<RemoteHost> server = RemoteHost.of(spec.getUrl());
      if (value.isEmpty() || server.isEmpty()) {
        return Convergence.failed(
            value.isEmpty()
                ? "token secret '"
                    + spec.getTokenSecret()
                    + "' is not among the application's secrets"
                : "token_secret needs an https:// url naming a server");
      }
      String user = spec.getUsername().isEmpty() ? HttpsToken.DEFAULT_USERNAME : spec.getUsername();
      token = Optional.of(new HttpsToken(server.get(), user, value.get().strip()));
    }
    Optional<SystemGitFetcher.PinnedKey> pinned = Optional.empty();
    if (!spec.getHostKey().isEmpty()) {
      Optional<String> hostKey = KnownHosts.keyOf(spec.getHostKey());
      Optional<RemoteHost> server = RemoteHost.of(spec.getUrl());
      if (hostKey.isEmpty() || server.isEmpty()) {
        return Convergence.failed(
            "host_key is not one OpenSSH public key line for an ssh:// server; it is not trusted");
      }
      pinned = Optional.of(new SystemGitFetcher.PinnedKey(server.get(), hostKey.get()));
    }
    Path root = Path.of(spec.getRoot());
    Path releases = root.resolve("releases");
    Optional<String> layout = guard.check(ReleaseLinker.writtenPaths(root, spec.getCommit()));
    if (layout.isEmpty()) {
      layout = ReleaseLinks.problem(spec.getLinksMap(), guard);
    }
    if (layout.isPresent()) {
      return Convergence.failed(layout.get());
    }
    Files.createDirectories(root.resolve(".pulley"));
    Files.createDirectories(releases);
    List<String> changes = new ArrayList<>();
    String commit = spec.getCommit();
    Path release = releases.resolve(commit);
    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)) {
      Fetcher jgit = new JGitFetcher(token);
      Fetcher system = new SystemGitFetcher(key, ssh, pinned);
      Optional<String> failure =
          build(root, spec, url -> Fetcher.isSsh(url) ? system : jgit, release, changes);
      if (failure.isPresent()) {
        return Convergence.failed(failure.get());
      }
      ReleaseLinker.checkouts(root).append(commit);
      changes.add("released " + abbreviate(commit));
    }
    if (spec.getCheckoutOnly()) {
      return Convergence.of(changes, "release " + abbreviate(commit) + " is checked out");
    }
    ReleaseLinker.Result linked = ReleaseLinker.link(root, commit, spec.getKeep());
    changes.addAll(linked.changes());
    Convergence c = Convergence.of(changes, "current is " + abbreviate(commit));
    return linked.drift().isEmpty() ? c : c.withDrift(linked.drift());
  }

  private static Optional<String> build(
      Path root,
      GitRelease spec,
      Function<String, Fetcher> fetchers,
      Path release,
      List<String> changes)
      throws IOException {
    ReleaseBuilder builder = new ReleaseBuilder(root, fetchers, spec.getSubmodules());
    try {
      return builder.build(spec.getUrl(), spec.getCommit(), release, spec.getLinksMap(), changes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while fetching " + Credentials.redact(spec.getUrl()));
    }
  }

  static String abbreviate(String commit) {
    return ReleaseLinker.abbreviate(commit);
  }
}
