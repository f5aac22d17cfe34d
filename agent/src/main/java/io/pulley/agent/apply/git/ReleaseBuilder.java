package io.pulley.agent.apply.git;

import io.pulley.agent.files.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.BlobBasedConfig;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Makes ROOT/releases/COMMIT: fetches the commit into a bare cache under ROOT/.pulley when it is
 * missing, writes its tree into a temp directory beside the release and renames it into place, so a
 * release exists only complete. With submodules, each one is fetched into its own cache ({@code
 * .pulley/modules/}) and written into the release, recursively. One apply at a time.
 */
final class ReleaseBuilder {
  private static final int MAX_SUBMODULE_DEPTH = 8;

  private final Path root;
  private final Function<String, Fetcher> fetchers;
  private final boolean submodules;

  /**
   * @param fetchers the fetcher for a remote URL
   */
  ReleaseBuilder(Path root, Function<String, Fetcher> fetchers, boolean submodules) {
    this.root = root;
    this.fetchers = fetchers;
    this.submodules = submodules;
  }

  /**
   * Builds the release of {@code commit} with {@code links} made in it; empty on success, else why
   * it failed.
   */
  Optional<String> build(
      String url,
      String commit,
      Path release,
      java.util.Map<String, String> links,
      List<String> changes)
      throws IOException, InterruptedException {
    Path temp = release.resolveSibling("." + commit + ".tmp");
    Trees.delete(temp);
    Files.createDirectory(temp);
    Optional<String> failure =
        checkout(
            root.resolve(".pulley/repo.git"), url, ObjectId.fromString(commit), temp, 0, changes);
    if (failure.isEmpty()) {
      failure = ReleaseLinks.make(temp, links);
    }
    if (failure.isPresent()) {
      Trees.delete(temp);
      return failure;
    }
    Files.move(temp, release, StandardCopyOption.ATOMIC_MOVE);
    return Optional.empty();
  }

  private Optional<String> checkout(
      Path cache, String url, ObjectId id, Path into, int depth, List<String> changes)
      throws IOException, InterruptedException {
    try (Git git = openCache(cache)) {
      Repository repo = git.getRepository();
      if (!hasCommit(repo, id)) {
        CacheRepair.removeStaleLocks(cache);
        Optional<String> failed = fetchers.apply(url).fetch(cache, url);
        if (failed.isPresent()) {
          return failed;
        }
        if (!hasCommit(repo, id)) {
          return Optional.of(
              Credentials.redact("commit " + id.name() + " not found in " + url + " after fetch"));
        }
        if (!changes.contains("fetched")) {
          changes.add("fetched");
        }
      }
      RevCommit commit;
      try (RevWalk walk = new RevWalk(repo)) {
        commit = walk.parseCommit(id);
      }
      List<TreeCheckout.Gitlink> links = TreeCheckout.write(repo, commit, into);
      if (!submodules || links.isEmpty()) {
        return Optional.empty();
      }
      if (depth >= MAX_SUBMODULE_DEPTH) {
        return Optional.of("submodules nested deeper than " + MAX_SUBMODULE_DEPTH + " levels");
      }
      Config modules = gitmodules(repo, commit);
      for (TreeCheckout.Gitlink link : links) {
        Optional<String> subUrl = submoduleUrl(modules, link.path(), url);
        if (subUrl.isEmpty()) {
          return Optional.of("submodule " + link.path() + " has no url in .gitmodules");
        }
        Path subCache = root.resolve(".pulley/modules").resolve(cacheName(subUrl.get()));
        Files.createDirectories(subCache.getParent());
        Optional<String> failed =
            checkout(
                subCache,
                subUrl.get(),
                link.commit(),
                into.resolve(link.path()),
                depth + 1,
                changes);
        if (failed.isPresent()) {
          return Optional.of("submodule " + link.path() + ": " + failed.get());
        }
      }
      return Optional.empty();
    }
  }

  private static Config gitmodules(Repository repo, RevCommit commit) throws IOException {
    try {
      return new BlobBasedConfig(null, repo, commit, ".gitmodules");
    } catch (ConfigInvalidException | IOException e) {
      // A tree with gitlinks but no readable .gitmodules: every submodule then lacks a url.
      return new Config();
    }
  }

  private static Optional<String> submoduleUrl(Config modules, String path, String parentUrl) {
    for (String name : modules.getSubsections("submodule")) {
      if (path.equals(modules.getString("submodule", name, "path"))) {
        String url = modules.getString("submodule", name, "url");
        return url == null || url.isBlank()
            ? Optional.empty()
            : Optional.of(resolve(parentUrl, url));
      }
    }
    return Optional.empty();
  }

  /** Resolves a relative submodule URL ("../lib.git") against the parent's remote, as git does. */
  static String resolve(String parentUrl, String url) {
    if (!url.startsWith("./") && !url.startsWith("../")) {
      return url;
    }
    String base =
        parentUrl.endsWith("/") ? parentUrl.substring(0, parentUrl.length() - 1) : parentUrl;
    String rest = url;
    while (true) {
      if (rest.startsWith("./")) {
        rest = rest.substring(2);
      } else if (rest.startsWith("../")) {
        int cut = Math.max(base.lastIndexOf('/'), base.lastIndexOf(':'));
        base = base.substring(0, base.charAt(cut) == ':' ? cut + 1 : cut);
        rest = rest.substring(3);
      } else {
        break;
      }
    }
    return base.endsWith(":") ? base + rest : base + "/" + rest;
  }

  /** One cache per submodule URL; hashed because a URL is no file name. */
  private static String cacheName(String url) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8) + ".git";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static Git openCache(Path dir) throws IOException {
    QuietRepositoryCache.install();
    try {
      if (CacheRepair.usableOrRemoved(dir)) {
        return Git.open(dir.toFile());
      }
      return Git.init().setBare(true).setDirectory(dir.toFile()).call();
    } catch (GitAPIException e) {
      throw new IOException("cannot create the repository cache " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean hasCommit(Repository repo, ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.parseCommit(id);
      return true;
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      return false;
    }
  }
}
