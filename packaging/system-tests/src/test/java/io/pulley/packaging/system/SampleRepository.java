package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Git repository with a working copy and a bare copy served over HTTP on the test network, made
 * with the git command line (as a developer would), so servers fetch releases over the network.
 */
final class SampleRepository implements AutoCloseable {
  private final Path work;
  private final Path served;
  private final GitHttpServer http;

  private SampleRepository(Path work, Path served, GitHttpServer http) {
    this.work = work;
    this.served = served;
    this.http = http;
  }

  static SampleRepository create(Path dir, String httpAddress)
      throws IOException, InterruptedException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.writeString(work.resolve("app.py"), "print('version 1')\n");
    return serve(dir, work, httpAddress);
  }

  /** A repository whose first commit is a copy of the tree {@code seed} (caches left out). */
  static SampleRepository seededFrom(Path seed, Path dir, String httpAddress)
      throws IOException, InterruptedException {
    Path work = Files.createDirectories(dir.resolve("work"));
    copyTree(seed, work);
    return serve(dir, work, httpAddress);
  }

  private static SampleRepository serve(Path dir, Path work, String httpAddress)
      throws IOException, InterruptedException {
    Path served = Files.createDirectories(dir.resolve("served"));
    git(work, "init", "-q", "-b", "main");
    git(work, "add", "-A");
    commit(work, "version 1");
    git(served, "clone", "-q", "--bare", work.toString(), "hello.git");
    GitHttpServer http = GitHttpServer.start(httpAddress, served);
    http.updateServerInfo("hello.git");
    return new SampleRepository(work, served, http);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path relative = from.relativize(source);
        if (isBuildLeftover(relative)) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  /** Python caches and build outputs that a developer's checkout would not commit. */
  private static boolean isBuildLeftover(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("__pycache__")
          || name.endsWith(".pyc")
          || name.endsWith(".egg-info")
          || name.equals("build")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Commits {@code files} (path relative to the repository → new content) and pushes; returns the
   * commit id.
   */
  String commit(java.util.Map<String, String> files, String message)
      throws IOException, InterruptedException {
    for (var file : files.entrySet()) {
      Path target = work.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
      git(work, "add", file.getKey());
    }
    commit(work, message);
    git(work, "push", "-q", served.resolve("hello.git").toString(), "main");
    http.updateServerInfo("hello.git");
    return head();
  }

  /** Tags the head with an annotated tag and pushes it to the served copy. */
  void tag(String name) throws IOException, InterruptedException {
    git(
        work,
        "-c",
        "user.name=Pulley Test",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "tag.gpgsign=false",
        "tag",
        "-a",
        name,
        "-m",
        "release " + name);
    git(work, "push", "-q", served.resolve("hello.git").toString(), "refs/tags/" + name);
    http.updateServerInfo("hello.git");
  }

  /** The content of {@code file} at the head of the working copy. */
  String read(String file) throws IOException {
    return Files.readString(work.resolve(file));
  }

  String url() {
    return http.url("hello.git");
  }

  /** How many times {@code clientAddress} has read the served refs (ls-remote, fetch) so far. */
  int refReadsFrom(String clientAddress) {
    return http.refReadsFrom(clientAddress);
  }

  /** Commits a new version of app.py and pushes it to the served copy; returns the commit id. */
  String release(String version) throws IOException, InterruptedException {
    Files.writeString(work.resolve("app.py"), "print('version " + version + "')\n");
    git(work, "add", "app.py");
    commit(work, "version " + version);
    git(work, "push", "-q", served.resolve("hello.git").toString(), "main");
    http.updateServerInfo("hello.git");
    return head();
  }

  /** Every file of {@code commit}: its path → its Git blob id. */
  java.util.Map<String, String> blobs(String commit) throws IOException, InterruptedException {
    java.util.Map<String, String> blobs = new java.util.TreeMap<>();
    for (String line : git(work, "ls-tree", "-r", commit).lines().toList()) {
      // <mode> SP blob SP <id> TAB <path>
      int tab = line.indexOf('\t');
      String[] head = line.substring(0, tab).split(" ");
      if (head[1].equals("blob")) {
        blobs.put(line.substring(tab + 1), head[2]);
      }
    }
    return blobs;
  }

  String head() throws IOException, InterruptedException {
    return git(work, "rev-parse", "HEAD").strip();
  }

  @Override
  public void close() {
    http.close();
  }

  private static void commit(Path work, String message) throws IOException, InterruptedException {
    git(
        work,
        "-c",
        "user.name=Pulley Test",
        "-c",
        "user.email=test@example.invalid",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "-m",
        message);
  }

  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }
}
