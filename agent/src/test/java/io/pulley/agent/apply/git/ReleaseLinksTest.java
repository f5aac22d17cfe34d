package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.v1.lite.GitRelease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A release's links to the directories the application writes, kept in ROOT/shared. */
class ReleaseLinksTest extends GitReleaseFixture {

  private Convergence converge(String commit, Map<String, String> links) throws Exception {
    return executor.converge(
        GitRelease.newBuilder()
            .setRoot(root.toString())
            .setUrl(remote.url())
            .setRef("main")
            .setCommit(commit)
            .putAllLinks(links)
            .build(),
        Contexts.plain(stateDir));
  }

  @Test
  void link_replacesWhatTheCommitHasThere_andPointsEveryReleaseAtTheSharedDirectory()
      throws Exception {
    Files.createDirectories(remote.workTree().resolve("instance"));
    String first = remote.commit("instance/.gitkeep", "");
    Path shared = Files.createDirectories(root.resolve("shared/instance"));
    Files.writeString(shared.resolve("app.db"), "rows");

    Convergence c = converge(first, Map.of("instance", shared.toString()));

    assertThat(c.failed()).as(c.reason()).isFalse();
    Path release = root.resolve("releases").resolve(first);
    assertThat(Files.readSymbolicLink(release.resolve("instance"))).isEqualTo(shared);
    assertThat(release.resolve("instance/app.db")).hasContent("rows");
    String second = remote.commit("app.py", "print(2)\n");
    assertThat(converge(second, Map.of("instance", shared.toString())).failed()).isFalse();
    assertThat(root.resolve("current/instance/app.db")).hasContent("rows");
  }

  @Test
  void linkBelowASymbolicLinkInTheCommit_isRefused_andNoReleaseIsLeft() throws Exception {
    Files.createSymbolicLink(remote.workTree().resolve("static"), Path.of("/etc"));
    String commit = remote.commit("app.py", "print(1)\n");

    Convergence c =
        converge(commit, Map.of("static/uploads", root.resolve("shared/uploads").toString()));

    assertThat(c.failed()).isTrue();
    assertThat(c.reason()).contains("static is a symbolic link in the commit");
    assertThat(root.resolve("releases").resolve(commit)).doesNotExist();
  }

  @Test
  void linksOutOfTheReleaseOrToAForbiddenTarget_areRefusedBeforeFetching() throws Exception {
    String commit = remote.commit("app.py", "print(1)\n");
    String shared = root.resolve("shared/x").toString();

    for (String name : List.of("../escape", "/abs", "a/../b", ".git", "")) {
      Convergence c = converge(commit, Map.of(name, shared));
      assertThat(c.failed()).as(name).isTrue();
      assertThat(c.reason()).as(name).contains("is not a normalised path inside the release");
    }
    assertThat(converge(commit, Map.of("instance", "/etc/instance")).reason())
        .startsWith("link instance: ");
    assertThat(root.resolve("releases").resolve(commit)).doesNotExist();
  }
}
