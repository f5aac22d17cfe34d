package io.pulley.agent.apply.git;

import io.pulley.agent.apply.PathGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A release root under an allowed /srv, a real Git remote, and the executor, for each test. */
abstract class GitReleaseFixture {
  @TempDir Path tmp;
  @TempDir Path stateDir;
  Path srv;
  Path root;
  TestRemote remote;
  GitReleaseExecutor executor;

  @BeforeEach
  void setUp() throws Exception {
    srv = Files.createDirectory(tmp.resolve("srv"));
    root = srv.resolve("app");
    remote = new TestRemote(Files.createDirectory(tmp.resolve("git")));
    executor = new GitReleaseExecutor(new PathGuard(List.of(srv)));
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }
}
