package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.ApplyContext;
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

/** checkout_only releases prepared while the old one serves, then linked; rollback; pruning. */
class ReleaseLinkExecutorTest {
  @TempDir Path tmp;
  @TempDir Path stateDir;
  Path root;
  TestRemote remote;
  GitReleaseExecutor checkouts;
  ReleaseLinkExecutor links;

  @BeforeEach
  void setUp() throws Exception {
    Path srv = Files.createDirectory(tmp.resolve("srv"));
    root = srv.resolve("app");
    remote = new TestRemote(Files.createDirectory(tmp.resolve("git")));
    checkouts = new GitReleaseExecutor(new PathGuard(List.of(srv)));
    links = new ReleaseLinkExecutor(new PathGuard(List.of(srv)));
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  private ApplyContext context() {
    return Contexts.plain(stateDir);
  }

  private Convergence checkout(String commit) throws Exception {
    return checkouts.converge(
        GitRelease.newBuilder()
            .setRoot(root.toString())
            .setUrl(remote.url())
            .setCommit(commit)
            .setCheckoutOnly(true)
            .build(),
        context());
  }

  private Convergence link(String commit, int keep) throws Exception {
    return links.converge(
        ReleaseLink.newBuilder().setRoot(root.toString()).setCommit(commit).setKeep(keep).build(),
        context());
  }

  private Path current() throws Exception {
    return Files.readSymbolicLink(root.resolve("current"));
  }

  private List<String> releases() throws Exception {
    try (Stream<Path> list = Files.list(root.resolve("releases"))) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void checkoutOnly_preparesReleaseAndLeavesCurrentAlone() throws Exception {
    String first = remote.commit("app.py", "1\n");
    checkout(first);
    link(first, 0);
    String second = remote.commit("app.py", "2\n");

    Convergence c = checkout(second);

    assertThat(c.reason()).isEqualTo("fetched, released " + second.substring(0, 12));
    assertThat(root.resolve("releases").resolve(second).resolve("app.py")).hasContent("2\n");
    assertThat(current()).isEqualTo(Path.of("releases", first));
    assertThat(checkout(second).outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void link_preparedRelease_pointsCurrentAtItThenIsUnchanged() throws Exception {
    String first = remote.commit("app.py", "1\n");
    checkout(first);

    Convergence c = link(first, 0);

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("current → " + first.substring(0, 12));
    assertThat(root.resolve("current/app.py")).hasContent("1\n");
    Convergence again = link(first, 0);
    assertThat(again.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(again.reason()).isEqualTo("current is " + first.substring(0, 12));
  }

  @Test
  void link_releaseNotCheckedOut_failsAndLeavesCurrentAlone() throws Exception {
    String first = remote.commit("app.py", "1\n");
    checkout(first);
    link(first, 0);
    String missing = "0123456789abcdef0123456789abcdef01234567";

    Convergence c = link(missing, 0);

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("is not checked out").contains(missing);
    assertThat(current()).isEqualTo(Path.of("releases", first));
  }

  @Test
  void rollback_keepsThePreparedNewestReleaseWhilePruning() throws Exception {
    String a = remote.commit("app.py", "a\n");
    checkout(a);
    link(a, 2);
    String b = remote.commit("app.py", "b\n");
    checkout(b);
    link(b, 2);
    String c = remote.commit("app.py", "c\n");
    checkout(c);

    Convergence linked = link(c, 2);
    assertThat(linked.reason()).endsWith("pruned 1 old release");
    assertThat(releases()).containsExactlyInAnyOrder(b, c);

    Convergence rollback = link(b, 2);

    assertThat(rollback.reason()).isEqualTo("current → " + b.substring(0, 12));
    assertThat(current()).isEqualTo(Path.of("releases", b));
    assertThat(releases()).containsExactlyInAnyOrder(b, c);
  }

  @Test
  void link_neverPrunesAReleasePreparedButNotYetLinked() throws Exception {
    String a = remote.commit("app.py", "a\n");
    checkout(a);
    link(a, 1);
    String b = remote.commit("app.py", "b\n");
    checkout(b);

    // Another resource (a rollback, a re-apply) links the old release while b is being prepared.
    Convergence c = link(a, 1);

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(releases()).containsExactlyInAnyOrder(a, b);
    assertThat(link(b, 1).reason())
        .isEqualTo("current → " + b.substring(0, 12) + ", pruned 1 old release");
    assertThat(releases()).containsExactly(b);
  }

  @Test
  void link_currentMovedByHand_reportsDriftAndPutsItBack() throws Exception {
    String a = remote.commit("app.py", "a\n");
    checkout(a);
    String b = remote.commit("app.py", "b\n");
    checkout(b);
    link(b, 0);
    Files.delete(root.resolve("current"));
    Files.createSymbolicLink(root.resolve("current"), Path.of("releases", a));

    Convergence c = link(b, 0);

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.drift())
        .isEqualTo(
            "current pointed at releases/" + a + " instead of releases/" + b.substring(0, 12));
    assertThat(current()).isEqualTo(Path.of("releases", b));
  }
}
