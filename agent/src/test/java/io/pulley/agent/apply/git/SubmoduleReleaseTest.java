package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.GitRelease;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmoduleReleaseTest {
  @TempDir Path tmp;
  @TempDir Path stateDir;
  Path root;
  TestRemote app;
  TestRemote lib;
  GitReleaseExecutor executor;

  @BeforeEach
  void setUp() throws Exception {
    Path srv = Files.createDirectory(tmp.resolve("srv"));
    root = srv.resolve("app");
    app = new TestRemote(Files.createDirectory(tmp.resolve("app")));
    lib = new TestRemote(Files.createDirectory(tmp.resolve("lib")));
    executor = new GitReleaseExecutor(new PathGuard(List.of(srv)));
  }

  @AfterEach
  void tearDown() {
    app.close();
    lib.close();
  }

  /** Commits app.py and a submodule "vendor/lib" at lib's head, with the given .gitmodules url. */
  private String commitWithSubmodule(String gitmodulesUrl) throws Exception {
    lib.commit("lib.py", "LIB = 1\n");
    try (Repository sub = app.work.submoduleAdd().setPath("vendor/lib").setURI(lib.url()).call()) {
      assertThat(sub).isNotNull();
    }
    Files.writeString(
        app.workTree().resolve(".gitmodules"),
        "[submodule \"lib\"]\n\tpath = vendor/lib\n\turl = " + gitmodulesUrl + "\n");
    Files.writeString(app.workTree().resolve("app.py"), "import lib\n");
    app.work.add().addFilepattern(".gitmodules").addFilepattern("app.py").call();
    RevCommit commit = app.work.commit().setMessage("with lib").setSign(false).call();
    app.work
        .push()
        .setRemote(app.url())
        .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
        .call();
    return commit.getName();
  }

  private Convergence release(String commit, boolean submodules) throws Exception {
    return executor.converge(
        GitRelease.newBuilder()
            .setRoot(root.toString())
            .setUrl(app.url())
            .setCommit(commit)
            .setSubmodules(submodules)
            .build(),
        Contexts.plain(stateDir));
  }

  @Test
  void converge_withSubmodules_checksThemOutIntoTheRelease() throws Exception {
    String commit = commitWithSubmodule(lib.url());

    Convergence c = release(commit, true);

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(root.resolve("current/app.py")).hasContent("import lib\n");
    assertThat(root.resolve("current/vendor/lib/lib.py")).hasContent("LIB = 1\n");
  }

  @Test
  void converge_relativeSubmoduleUrl_isResolvedAgainstTheRemote() throws Exception {
    // app's remote is tmp/app/remote.git, lib's tmp/lib/remote.git
    String commit = commitWithSubmodule("../../lib/remote.git");

    release(commit, true);

    assertThat(root.resolve("current/vendor/lib/lib.py")).hasContent("LIB = 1\n");
  }

  @Test
  void converge_withoutSubmodules_leavesTheirDirectoriesEmpty() throws Exception {
    String commit = commitWithSubmodule(lib.url());

    release(commit, false);

    assertThat(root.resolve("current/vendor/lib")).isEmptyDirectory();
  }

  @Test
  void converge_unreachableSubmodule_failsAndLeavesNoRelease() throws Exception {
    String commit = commitWithSubmodule(tmp.resolve("nowhere.git").toUri().toString());

    Convergence c = release(commit, true);

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).startsWith("submodule vendor/lib: fetch from ");
    assertThat(root.resolve("releases")).isEmptyDirectory();
  }

  @Test
  void resolve_relativeUrls_likeGit() {
    assertThat(ReleaseBuilder.resolve("file:///srv/git/app.git", "../lib.git"))
        .isEqualTo("file:///srv/git/lib.git");
    assertThat(ReleaseBuilder.resolve("ssh://git@host/org/app.git", "../../other/lib.git"))
        .isEqualTo("ssh://git@host/other/lib.git");
    assertThat(ReleaseBuilder.resolve("git@host:org/app.git", "./lib.git"))
        .isEqualTo("git@host:org/app.git/lib.git");
    assertThat(ReleaseBuilder.resolve("git@host:app.git", "../lib.git"))
        .isEqualTo("git@host:lib.git");
    assertThat(ReleaseBuilder.resolve("x", "https://host/lib.git"))
        .isEqualTo("https://host/lib.git");
  }
}
