package io.pulley.agent.apply;

import io.pulley.agent.apply.CrashSweepServer.Release;
import io.pulley.agent.apply.python.TestPython;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What a server whose apply was killed and resumed must look like: the live release complete (its
 * files the commit's, its venv whole and running its code, its migration run), the previous release
 * untouched for a rollback, and nothing half-made left where a later apply would look. Each check
 * adds a problem instead of failing, so that a sweep counts every broken kill.
 */
final class CrashSweepChecks {
  private final CrashSweepServer server;
  private final Set<String> completeVenv;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param completeVenv the files of a complete environment: the first release's
   */
  CrashSweepChecks(CrashSweepServer server, Set<String> completeVenv) {
    this.server = server;
    this.completeVenv = completeVenv;
  }

  /** The problems of the server with {@code live} live and {@code previous} kept. */
  List<String> of(Release live, Release previous) throws IOException {
    problems.clear();
    Path current = server.root().resolve("current");
    check(
        Files.isSymbolicLink(current)
            && Files.readSymbolicLink(current).equals(Path.of("releases", live.commit())),
        "current is not releases/" + live.commit());
    Path release = server.release(live);
    checkTree(release, live.commit());
    check(
        Files.readString(release.resolve("settings.ini"))
            .equals("[shop]\nrelease = " + live.value() + "\n"),
        "the release's settings.ini is not the second plan's");
    checkVenv(release.resolve("venv"));
    check(
        python(current.resolve("venv"), "import hello.extra; print(hello.VALUE, hello.extra.EXTRA)")
            .equals(live.value() + " new"),
        "current/venv does not import the release's code");
    Path shared = server.root().resolve("shared");
    check(
        Files.exists(shared.resolve("migrated-" + live.commit().substring(0, 12)))
            && Files.readString(shared.resolve("schema")).equals(live.value()),
        "the migration did not run with the release's code");
    check(
        python(server.release(previous).resolve("venv"), "import hello; print(hello.VALUE)")
            .equals(previous.value()),
        "the previous release's venv no longer runs it");
    try (Stream<Path> list = Files.list(server.root().resolve("releases"))) {
      Set<String> names = new TreeSet<>(list.map(p -> p.getFileName().toString()).toList());
      check(
          names.equals(Set.of(live.commit(), previous.commit())),
          "releases/ holds " + names + ", not the two releases");
    }
    checkLeftovers(server.root());
    return List.copyOf(problems);
  }

  /** The temporary files of atomic writes that the last {@link #of} found. */

  /** The files of the environment {@code venv}, apart from its marker and the project's own. */
  static Set<String> venvFiles(Path venv) throws IOException {
    try (Stream<Path> walk = Files.walk(venv)) {
      return walk.filter(f -> !Files.isDirectory(f))
          .map(f -> venv.relativize(f).toString())
          .filter(f -> !f.startsWith(".pulley") && !f.contains("hello"))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private void checkVenv(Path venv) throws IOException {
    check(!Files.exists(venv.resolveSibling(".venv.partial")), "a .venv.partial is left");
    if (!Files.isDirectory(venv)) {
      check(false, "the release has no venv");
      return;
    }
    Set<String> missing = new TreeSet<>(completeVenv);
    missing.removeAll(venvFiles(venv));
    check(
        missing.isEmpty(),
        "the venv lacks "
            + missing.size()
            + " files, such as "
            + missing.stream().limit(3).toList());
  }

  /** Every file of the commit's tree as it is in Git, and nothing else but the venv and links. */
  private void checkTree(Path release, String commit) throws IOException {
    Set<String> paths = new HashSet<>(Set.of("settings.ini"));
    try (Repository repo =
            new FileRepositoryBuilder().setGitDir(server.repository().toFile()).build();
        RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(ObjectId.fromString(commit)).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        paths.add(tree.getPathString());
        byte[] blob = repo.open(tree.getObjectId(0)).getBytes();
        checkFile(release.resolve(tree.getPathString()), tree.getFileMode(0), blob);
      }
    }
    Files.walkFileTree(
        release,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            String name = d.getFileName().toString();
            boolean skip = d.equals(release.resolve("venv")) || name.equals("__pycache__");
            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            String path = release.relativize(f).toString();
            check(paths.contains(path), "the release has " + path + ", which the commit has not");
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void checkFile(Path file, FileMode mode, byte[] blob) throws IOException {
    String what = server.root().relativize(file).toString();
    if (mode == FileMode.SYMLINK) {
      check(
          Files.isSymbolicLink(file)
              && Files.readSymbolicLink(file)
                  .toString()
                  .equals(new String(blob, StandardCharsets.UTF_8)),
          what + " is not the commit's link");
      return;
    }
    if (!Files.isRegularFile(file)) {
      check(false, what + " is missing");
      return;
    }
    boolean executable =
        Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
    check(Arrays.equals(Files.readAllBytes(file), blob), what + " differs from the commit");
    check(executable == (mode == FileMode.EXECUTABLE_FILE), what + " has the wrong mode");
  }

  /**
   * Half-made things under the release root, the venvs aside: a checkout's or a venv's temporary
   * directory, a lock (a later fetch would trip on it), the temporary file of an atomic write (the
   * resumed write of that file removes it: one of a sensitive file would be a copy of a secret).
   */
  private void checkLeftovers(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !root.relativize(p).toString().contains("/venv/")).toList()) {
        String name = p.getFileName().toString();
        boolean partial = name.endsWith(".partial") || name.endsWith(".lock");
        if (partial || name.endsWith(".tmp")) {
          check(false, "left over: " + root.relativize(p));
        }
      }
    }
  }

  private static String python(Path venv, String code) {
    return TestPython.run(List.of(venv.resolve("bin/python").toString(), "-B", "-c", code))
        .stdout()
        .strip();
  }

  private void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }
}
