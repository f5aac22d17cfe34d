package io.pulley.agent.apply.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.process.ProcessRunner;
import io.pulley.agent.facts.HostPython;
import io.pulley.v1.lite.Virtualenv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent killed with SIGKILL while it makes a release's virtualenv (reused from the previous
 * release: a copy of some thousand files, then the project's install), at seeded points, then run
 * again as systemd would restart it: every time, the resumed apply ends with a complete
 * environment, never one that a half copy left looking complete.
 */
class VenvCrashTest {
  /** Seeded, so that a failure names a kill point that can be run again. */
  private static final long SEED = 20261206L;

  private static final int KILLS = 6;

  @TempDir Path dir;

  @Test
  void killedAtAnyPointOfAReuse_theResumedApplyEndsWithACompleteVenv() throws Exception {
    Path releases = dir.resolve("releases");
    Path old = TestPython.project(releases.resolve("aaaaaaaaaaaaaaaa"), "hello", "one");
    Convergence first = converge(releases, old);
    assertThat(first.changed()).as(first.reason() + first.outputTail()).isTrue();
    Set<String> complete = files(old.resolve("venv"));
    Random random = new Random(SEED);
    List<String> landed = new java.util.ArrayList<>();

    for (int kill = 0; kill < KILLS; kill++) {
      Path release =
          TestPython.project(releases.resolve("b" + kill + "b".repeat(14)), "hello", "two");
      // From a few files copied to all of them and a little more: the project's install.
      // The last kill comes once the environment is at its place: during the project's install.
      int after = kill == KILLS - 1 ? 0 : 1 + random.nextInt(complete.size() + complete.size() / 5);
      landed.add(killWhen(releases, release, after));

      Convergence resumed = converge(releases, release);

      // Made again or finished (changed), or already finished before the kill (up to date).
      assertThat(resumed.outcome())
          .as("kill %d after %d files: %s %s", kill, after, resumed.reason(), resumed.outputTail())
          .isNotEqualTo(io.pulley.v1.lite.ResourceOutcome.RESOURCE_OUTCOME_FAILED);
      Set<String> made = files(release.resolve("venv"));
      assertThat(made).as("kill %d after %d files", kill, after).containsAll(complete);
      assertThat(
              TestPython.run(
                      List.of(
                          release + "/venv/bin/python", "-c", "import hello; print(hello.VALUE)"))
                  .stdout()
                  .strip())
          .isEqualTo("two");
    }
    System.out.println("venv reuse killed " + KILLS + " times: " + landed);
    assertThat(landed).contains("in the copy", "after the copy");
  }

  /**
   * Starts the apply in a process of its own and kills it once {@code after} files exist (0: once
   * the environment is at its place); says where the kill landed.
   */
  private String killWhen(Path releases, Path release, int after) throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                VenvCrashChild.class.getName(),
                releases.toString(),
                release.toString(),
                TestPython.executable(),
                dir.resolve("state").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    Path venv = release.resolve("venv");
    // The copy is counted wherever it is made: in place, or beside and renamed.
    Path partial = venv.resolveSibling(".venv.partial");
    while (child.isAlive()
        && (after > 0 ? count(venv) + count(partial) < after : !Files.isDirectory(venv))) {
      Thread.sleep(1);
    }
    boolean renamed = Files.isDirectory(venv);
    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return child.exitValue() == 0 ? "finished" : renamed ? "after the copy" : "in the copy";
  }

  private Convergence converge(Path releases, Path release) throws IOException {
    VirtualenvExecutor executor =
        new VirtualenvExecutor(
            new PathGuard(List.of(releases)),
            new ProcessRunner(),
            new HostPython(Path.of(TestPython.executable())));
    return executor.converge(
        Virtualenv.newBuilder()
            .setPath(release.resolve("venv").toString())
            .setPython(TestPython.executable())
            .setSystemSitePackages(true)
            .setInstall(release.toString())
            .build(),
        Contexts.plain(dir.resolve("state")));
  }

  private static int count(Path venv) {
    if (!Files.isDirectory(venv)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(venv)) {
      return (int) walk.count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // the tree changes while it is walked
    }
  }

  /** The environment's files, by path inside it, apart from the marker and the project's own. */
  private static Set<String> files(Path venv) throws IOException {
    try (Stream<Path> walk = Files.walk(venv)) {
      return walk.filter(Files::isRegularFile)
          .map(f -> venv.relativize(f).toString())
          .filter(f -> !f.equals(VenvMarker.FILE_NAME) && !f.contains("hello"))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }
}
