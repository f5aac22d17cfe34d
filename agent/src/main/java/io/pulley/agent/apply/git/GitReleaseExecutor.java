package io.pulley.agent.apply.git;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.v1.GitRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Deploys one commit of a Git repository as ROOT/releases/COMMIT and points ROOT/current at it.
 *
 * <p>Layout under ROOT: {@code .pulley/repo.git} is a bare cache of the remote, kept under the
 * release root rather than the agent's data dir so it sits on the same filesystem as the releases,
 * inside the allowed roots, and goes away with the application; {@code .pulley/releases.log}
 * records switch order for pruning. A release directory is written as {@code releases/.COMMIT.tmp}
 * and renamed into place, so it exists only complete; {@code current} is a relative symlink
 * replaced by an atomic rename. Idempotent; one apply at a time.
 */
public final class GitReleaseExecutor implements ResourceExecutor<GitRelease> {
  static final int DEFAULT_KEEP = 5;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private final PathGuard guard;

  public GitReleaseExecutor(PathGuard guard) {
    this.guard = guard;
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
    Path root = Path.of(spec.getRoot());
    Path releases = root.resolve("releases");
    Files.createDirectories(root.resolve(".pulley"));
    Files.createDirectories(releases);
    List<String> changes = new ArrayList<>();
    String commit = spec.getCommit();
    Path release = releases.resolve(commit);
    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)) {
      Optional<String> failure = build(root, spec, release, changes);
      if (failure.isPresent()) {
        return Convergence.failed(failure.get());
      }
    }
    ReleaseHistory history = new ReleaseHistory(root.resolve(".pulley/releases.log"));
    Path target = Path.of("releases", commit);
    Path current = root.resolve("current");
    if (!target.equals(currentTarget(current))) {
      switchCurrent(root, target);
      history.switchedTo(commit);
      changes.add("current → " + abbreviate(commit));
    }
    int pruned = Pruner.prune(releases, history, commit, keep(spec));
    if (pruned > 0) {
      changes.add("pruned " + pruned + " old release" + (pruned == 1 ? "" : "s"));
    }
    return Convergence.of(changes, "current is " + abbreviate(commit));
  }

  private static Optional<String> build(
      Path root, GitRelease spec, Path release, List<String> changes) throws IOException {
    try (Git git = openCache(root.resolve(".pulley/repo.git"))) {
      Repository repo = git.getRepository();
      ObjectId id = ObjectId.fromString(spec.getCommit());
      if (!hasCommit(repo, id)) {
        try {
          fetch(git, spec.getUrl());
        } catch (GitAPIException e) {
          return Optional.of(
              Credentials.redact("fetch from " + spec.getUrl() + " failed: " + e.getMessage()));
        }
        if (!hasCommit(repo, id)) {
          return Optional.of(
              Credentials.redact(
                  "commit "
                      + spec.getCommit()
                      + " not found in "
                      + spec.getUrl()
                      + " after fetch"));
        }
        changes.add("fetched");
      }
      Path temp = release.resolveSibling("." + spec.getCommit() + ".tmp");
      Pruner.deleteTree(temp);
      Files.createDirectory(temp);
      try (RevWalk walk = new RevWalk(repo)) {
        TreeCheckout.write(repo, walk.parseCommit(id), temp);
      }
      Files.move(temp, release, StandardCopyOption.ATOMIC_MOVE);
      changes.add("released " + abbreviate(spec.getCommit()));
      return Optional.empty();
    }
  }

  private static Git openCache(Path dir) throws IOException {
    try {
      if (Files.isDirectory(dir.resolve("objects"))) {
        return Git.open(dir.toFile());
      }
      return Git.init().setBare(true).setDirectory(dir.toFile()).call();
    } catch (GitAPIException e) {
      throw new IOException("cannot create the repository cache " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void fetch(Git git, String url) throws GitAPIException {
    git.fetch()
        .setRemote(url)
        .setRefSpecs(
            new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
            new RefSpec("+refs/tags/*:refs/tags/*"))
        .setRemoveDeletedRefs(true)
        .call();
  }

  private static boolean hasCommit(Repository repo, ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.parseCommit(id);
      return true;
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      return false;
    }
  }

  private static Path currentTarget(Path current) throws IOException {
    return Files.isSymbolicLink(current) ? Files.readSymbolicLink(current) : null;
  }

  /** A relative link renamed over the old one: readers see the old or the new, never none. */
  private static void switchCurrent(Path root, Path target) throws IOException {
    Path temp = root.resolve(".current.tmp");
    Files.deleteIfExists(temp);
    Files.createSymbolicLink(temp, target);
    Files.move(temp, root.resolve("current"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static int keep(GitRelease spec) {
    return spec.getKeep() == 0 ? DEFAULT_KEEP : spec.getKeep();
  }

  static String abbreviate(String commit) {
    return commit.substring(0, 12);
  }
}
