package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.GitRelease;
import io.pulley.v1.lite.ReleaseLink;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release root whose own directories are symlinks cannot take a release out of the roots. */
class ReleaseConfinementTest {
  @TempDir Path tmp;
  @TempDir Path stateDir;
  Path root;
  Path outside;
  TestRemote remote;
  PathGuard guard;

  @BeforeEach
  void setUp() throws Exception {
    Path srv = Files.createDirectory(tmp.resolve("srv"));
    root = Files.createDirectory(srv.resolve("app"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    remote = new TestRemote(Files.createDirectory(tmp.resolve("git")));
    guard = new PathGuard(List.of(srv));
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private GitRelease release(String commit) {
    return GitRelease.newBuilder()
        .setRoot(root.toString())
        .setUrl(remote.url())
        .setRef("main")
        .setCommit(commit)
        .build();
  }

  private long filesOutside() throws Exception {
    try (Stream<Path> all = Files.walk(outside)) {
      return all.filter(p -> !p.equals(outside)).count();
    }
  }

  @Test
  void gitRelease_releasesDirSymlinkedOut_failsNamingItAndWritesNothingOutside() throws Exception {
    String commit = remote.commit("app.py", "print(1)\n");
    Path releases = Files.createSymbolicLink(root.resolve("releases"), outside);

    Convergence c =
        new GitReleaseExecutor(guard).converge(release(commit), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains(releases + " is a symlink to " + outside);
    assertThat(filesOutside()).isZero();
    assertThat(root.resolve("current")).doesNotExist();
  }

  @Test
  void gitRelease_cacheDirSymlinkedOut_failsAndWritesNothingOutside() throws Exception {
    String commit = remote.commit("app.py", "print(1)\n");
    Files.createSymbolicLink(root.resolve(".pulley"), outside);

    Convergence c =
        new GitReleaseExecutor(guard).converge(release(commit), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(filesOutside()).isZero();
  }

  @Test
  void releaseLink_releasesDirSymlinkedOut_failsAndPrunesNothingOutside() throws Exception {
    String commit = "a".repeat(40);
    Files.createDirectories(outside.resolve(commit));
    Files.createDirectories(outside.resolve("b".repeat(40)));
    Files.createSymbolicLink(root.resolve("releases"), outside);
    ReleaseLink spec =
        ReleaseLink.newBuilder().setRoot(root.toString()).setCommit(commit).setKeep(1).build();

    Convergence c = new ReleaseLinkExecutor(guard).converge(spec, Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(filesOutside()).isEqualTo(2);
  }

  @Test
  void gitRelease_currentLinkInsideTheRoot_isStillFollowedAndSwitched() throws Exception {
    String first = remote.commit("app.py", "1");
    GitReleaseExecutor executor = new GitReleaseExecutor(guard);
    executor.converge(release(first), Contexts.plain(stateDir));
    String second = remote.commit("app.py", "2");

    Convergence c = executor.converge(release(second), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(root.resolve("current/app.py")).hasContent("2");
  }
}
