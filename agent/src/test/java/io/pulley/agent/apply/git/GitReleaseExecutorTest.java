package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.v1.lite.GitRelease;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GitReleaseExecutorTest extends GitReleaseFixture {

  private GitRelease release(String commit, int keep) {
    return GitRelease.newBuilder()
        .setRoot(root.toString())
        .setUrl(remote.url())
        .setRef("main")
        .setCommit(commit)
        .setKeep(keep)
        .build();
  }

  private List<String> releases() throws Exception {
    try (Stream<Path> list = Files.list(root.resolve("releases"))) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void converge_firstRelease_checksOutTreeAndPointsCurrentAtIt() throws Exception {
    String first = remote.commit("app.py", "print(1)\n");

    Convergence c = executor.converge(release(first, 0), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason())
        .isEqualTo(
            "fetched, released "
                + first.substring(0, 12)
                + ", current → "
                + first.substring(0, 12));
    Path release = root.resolve("releases").resolve(first);
    assertThat(release.resolve("app.py")).hasContent("print(1)\n");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(release.resolve("bin/run.sh"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(Files.readSymbolicLink(release.resolve("link"))).isEqualTo(Path.of("app.py"));
    assertThat(Files.readSymbolicLink(root.resolve("current")))
        .isEqualTo(Path.of("releases", first));
    assertThat(root.resolve("current/app.py")).hasContent("print(1)\n");
    assertThat(releases()).containsExactly(first);
    assertThat(root.resolve(".current.tmp")).doesNotExist();
  }

  @Test
  void converge_sameCommitAgain_isUnchanged() throws Exception {
    String first = remote.commit("app.py", "1");
    executor.converge(release(first, 0), Contexts.plain(stateDir));

    Convergence c = executor.converge(release(first, 0), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void converge_switchToSecondAndBack_reusesTheFirstReleaseDirectory() throws Exception {
    String first = remote.commit("app.py", "1");
    executor.converge(release(first, 0), Contexts.plain(stateDir));
    Path firstDir = root.resolve("releases").resolve(first);
    Files.writeString(firstDir.resolve("marker"), "kept");
    String second = remote.commit("app.py", "2");

    Convergence toSecond = executor.converge(release(second, 0), Contexts.plain(stateDir));
    Convergence back = executor.converge(release(first, 0), Contexts.plain(stateDir));

    assertThat(toSecond.reason()).startsWith("fetched, released " + second.substring(0, 12));
    assertThat(back.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(back.reason()).isEqualTo("current → " + first.substring(0, 12));
    assertThat(firstDir.resolve("marker")).as("release dir reused, not rebuilt").exists();
    assertThat(root.resolve("current/app.py")).hasContent("1");
    assertThat(releases()).containsExactlyInAnyOrder(first, second);
  }

  @Test
  void converge_keepTwo_prunesTheReleaseSwitchedAwayFromLongestAgo() throws Exception {
    String a = remote.commit("app.py", "a");
    executor.converge(release(a, 2), Contexts.plain(stateDir));
    String b = remote.commit("app.py", "b");
    executor.converge(release(b, 2), Contexts.plain(stateDir));
    String c = remote.commit("app.py", "c");

    Convergence result = executor.converge(release(c, 2), Contexts.plain(stateDir));

    assertThat(result.reason()).endsWith("pruned 1 old release");
    assertThat(releases()).containsExactlyInAnyOrder(b, c);
    assertThat(Files.readAllLines(root.resolve(".pulley/releases.log"))).containsExactly(b, c);
  }

  @Test
  void converge_keepOne_neverPrunesTheCurrentRelease() throws Exception {
    String a = remote.commit("app.py", "a");
    executor.converge(release(a, 1), Contexts.plain(stateDir));
    String b = remote.commit("app.py", "b");

    executor.converge(release(b, 1), Contexts.plain(stateDir));

    assertThat(releases()).containsExactly(b);
    assertThat(root.resolve("current/app.py")).hasContent("b");
  }

  @Test
  void converge_unknownCommit_failsNamingUrlAndCommit() throws Exception {
    remote.commit("app.py", "a");
    String unknown = "0123456789abcdef0123456789abcdef01234567";

    Convergence c = executor.converge(release(unknown, 0), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason())
        .isEqualTo("commit " + unknown + " not found in " + remote.url() + " after fetch");
    assertThat(root.resolve("current")).doesNotExist();
  }

  @Test
  void converge_unreachableRemoteWithCredentials_failsWithoutShowingThem() throws Exception {
    GitRelease spec =
        release("0123456789abcdef0123456789abcdef01234567", 0).toBuilder()
            .setUrl("https://deploy:s3cret-token@127.0.0.1:1/app.git")
            .build();

    Convergence c = executor.converge(spec, Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("https://***@127.0.0.1:1/app.git").doesNotContain("s3cret");
  }

  @Test
  void converge_missingCommitId_fails() throws Exception {
    Convergence c = executor.converge(release("", 0), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("not a 40-hex-digit id");
  }

  @Test
  void converge_leftoverTempDirectory_isReplaced() throws Exception {
    String first = remote.commit("app.py", "1");
    Path stale = Files.createDirectories(root.resolve("releases/." + first + ".tmp/half"));

    Convergence c = executor.converge(release(first, 0), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(stale).doesNotExist();
    assertThat(releases()).containsExactly(first);
  }
}
