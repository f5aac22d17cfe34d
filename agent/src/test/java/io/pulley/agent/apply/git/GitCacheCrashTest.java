package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.v1.lite.GitRelease;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What an agent killed during a fetch or while it creates the repository cache leaves behind, met
 * by the next apply: it must not fail for good on it.
 */
class GitCacheCrashTest extends GitReleaseFixture {

  private Convergence release(String commit) throws Exception {
    return executor.converge(
        GitRelease.newBuilder()
            .setRoot(root.toString())
            .setUrl(remote.url())
            .setRef("main")
            .setCommit(commit)
            .build(),
        Contexts.plain(stateDir));
  }

  @Test
  void locksLeftByAKilledFetch_areRemoved_andTheNextFetchSucceeds() throws Exception {
    String first = remote.commit("app.py", "1");
    assertThat(release(first).outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    Path cache = root.resolve(".pulley/repo.git");
    // A fetch killed while it updated its refs: the lock files, created before each rename.
    for (String lock :
        new String[] {"refs/remotes/origin/main.lock", "packed-refs.lock", "config.lock"}) {
      Files.createDirectories(cache.resolve(lock).getParent());
      Files.writeString(cache.resolve(lock), "0000000000000000000000000000000000000000\n");
    }
    String second = remote.commit("app.py", "2");

    Convergence c = release(second);

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(root.resolve("releases").resolve(second).resolve("app.py")).hasContent("2");
    assertThat(cache.resolve("packed-refs.lock")).doesNotExist();
  }

  @Test
  void cacheWhoseCreationWasCutShort_isMadeAgain() throws Exception {
    // Killed inside the creation of the cache: its objects directory, no HEAD and no config.
    Files.createDirectories(root.resolve(".pulley/repo.git/objects/pack"));
    String first = remote.commit("app.py", "1");

    Convergence c = release(first);

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(root.resolve("releases").resolve(first).resolve("app.py")).hasContent("1");
  }

  @Test
  void cacheWithACutConfig_isMadeAgain() throws Exception {
    String first = remote.commit("app.py", "1");
    release(first);
    Path config = root.resolve(".pulley/repo.git/config");
    Files.writeString(config, "[core\n\trepositoryformatversion = ");
    String second = remote.commit("app.py", "2");

    Convergence c = release(second);

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
  }

  @Test
  void checkoutLeftHalfMadeByAKill_isDeleted_whenAReleaseIsLinked() throws Exception {
    String first = remote.commit("app.py", "1");
    release(first);
    // A checkout of a commit that was never deployed after the kill (a rollback came instead).
    Path left = root.resolve("releases/." + "ab".repeat(20) + ".tmp");
    Files.createDirectories(left.resolve("pkg"));
    Files.writeString(left.resolve("pkg/half.py"), "x = ");
    Path notOurs = Files.createDirectories(root.resolve("releases/.keep.tmp"));
    String second = remote.commit("app.py", "2");

    Convergence c = release(second);

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(left).doesNotExist();
    assertThat(notOurs).exists();
  }
}
