package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.git.TestRemote;
import io.pulley.agent.apply.python.TestPython;
import io.pulley.agent.apply.wiring.Executors;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.InterruptedApply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The server that {@link ApplyCrashSweepTest} deploys to, all in one directory: a Git remote with
 * two commits of a tiny Python project, the allowed root with the application's release root in it,
 * the agent's data dir, and a copy of both taken once the first release is live, to start each kill
 * from.
 */
final class CrashSweepServer implements AutoCloseable {
  /** A commit of the project, whose {@code hello.VALUE} is {@code value}. */
  record Release(String commit, String value) {}

  private final Path dir;
  private final TestRemote remote;
  final Release first;
  final Release second;

  private CrashSweepServer(Path dir, TestRemote remote, Release first, Release second) {
    this.dir = dir;
    this.remote = remote;
    this.first = first;
    this.second = second;
  }

  /**
   * A remote whose second commit brings new code, a new module and a changed README (the settings
   * file changes with the plan).
   */
  static CrashSweepServer create(Path dir) throws Exception {
    TestRemote remote = new TestRemote(Files.createDirectory(dir.resolve("git")));
    Path tree = remote.workTree();
    TestPython.project(tree, "hello", "one");
    Release first = new Release(remote.commit("README.md", "shop, first\n"), "one");
    TestPython.project(tree, "hello", "two");
    Files.writeString(tree.resolve("hello/extra.py"), "EXTRA = \"new\"\n");
    Release second = new Release(remote.commit("README.md", "shop, second\n"), "two");
    CrashSweepServer server = new CrashSweepServer(dir, remote, first, second);
    Files.createDirectories(server.srv());
    Files.createDirectories(server.dataDir());
    for (Release release : List.of(first, second)) {
      Files.write(server.planFile(release), server.plan(release).toByteArray());
    }
    return server;
  }

  Path srv() {
    return dir.resolve("live/srv");
  }

  /** The application's release root. */
  Path root() {
    return srv().resolve(CrashSweepPlan.APP);
  }

  Path release(Release release) {
    return root().resolve("releases").resolve(release.commit());
  }

  Path dataDir() {
    return dir.resolve("live/agent");
  }

  /** The file a held apply creates. */
  Path held() {
    return dir.resolve("held");
  }

  Path log() {
    return dir.resolve("agent.log");
  }

  Path reportFile() {
    return dir.resolve("report.pb");
  }

  /** The bare repository the releases are fetched from. */
  Path repository() {
    return remote.bare;
  }

  HostPlan plan(Release release) {
    return CrashSweepPlan.of(
        root(), remote.url(), release.commit(), release.value(), TestPython.executable());
  }

  Path planFile(Release release) {
    return dir.resolve("plan-" + release.value() + ".pb");
  }

  /** An apply in this process, as a restarted agent makes it. */
  ApplyReport applyHere(Release release) {
    return CrashSweepChild.applier(Executors.forRoots(List.of(srv())), dataDir())
        .apply(plan(release), () -> false)
        .report();
  }

  /** What the data dir's journal says is being applied. */
  Optional<InterruptedApply> journal() {
    return new ApplyJournal(dataDir()).interrupted();
  }

  /** Keeps the server as it is now, to {@link #restore} it before each kill. */
  void snapshot() throws IOException, InterruptedException {
    run("rm", "-rf", dir.resolve("golden").toString());
    run("cp", "-a", dir.resolve("live").toString(), dir.resolve("golden").toString());
  }

  /**
   * The server as {@link #snapshot} kept it, at the same paths so that the venvs still run. The
   * first release is kept as it is (no apply writes to it, and {@link CrashSweepChecks} runs it),
   * which saves copying its venv each time.
   */
  void restore() throws IOException, InterruptedException {
    restore(dir.resolve("golden"), dir.resolve("live"), release(first));
  }

  /** Makes {@code live} a copy of {@code golden} again, apart from {@code keep} below it. */
  private static void restore(Path golden, Path live, Path keep)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("rm", "-rf"));
    try (Stream<Path> entries = Files.list(live)) {
      entries.filter(e -> !keep.startsWith(e)).forEach(e -> argv.add(e.toString()));
    }
    run(argv.toArray(String[]::new));
    argv.clear();
    argv.addAll(List.of("cp", "-a"));
    try (Stream<Path> entries = Files.list(golden)) {
      for (Path e : entries.toList()) {
        Path at = live.resolve(e.getFileName().toString());
        if (!keep.startsWith(at)) {
          argv.add(e.toString());
        } else if (!at.equals(keep)) {
          restore(e, at, keep);
        }
      }
    }
    argv.add(live.toString());
    if (argv.size() > 3) {
      run(argv.toArray(String[]::new));
    }
  }

  private static void run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", argv), output).isZero();
  }

  @Override
  public void close() {
    remote.close();
  }
}
