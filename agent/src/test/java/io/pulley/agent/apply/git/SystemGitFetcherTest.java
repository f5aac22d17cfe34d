package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.GitRelease;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The system git as the SSH transport: a real git, and an ssh program that records its call. */
class SystemGitFetcherTest {
  static final String KEY =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAtest\n-----END OPENSSH PRIVATE KEY-----";

  @TempDir Path tmp;
  @TempDir Path stateDir;
  TestRemote remote;
  Path cache;
  Path record;
  Path fakeSsh;

  @BeforeEach
  void setUp() throws Exception {
    remote = new TestRemote(Files.createDirectory(tmp.resolve("git")));
    Path pulley = Files.createDirectories(tmp.resolve("srv/app/.pulley"));
    cache = pulley.resolve("repo.git");
    Git.init().setBare(true).setDirectory(cache.toFile()).call().close();
    record = tmp.resolve("ssh-call.txt");
    fakeSsh = tmp.resolve("fake-ssh");
    // Records its arguments and the key file it was given, then fails like an unreachable host.
    Files.writeString(
        fakeSsh,
        "#!/bin/sh\n"
            + "echo \"$@\" > '"
            + record
            + "'\n"
            + "while [ $# -gt 0 ]; do\n"
            + "  if [ \"$1\" = -i ]; then stat -c %a \"$2\" >> '"
            + record
            + "'; cat \"$2\" >> '"
            + record
            + "'; fi\n"
            + "  shift\n"
            + "done\n"
            + "echo 'ssh: connect to host example.invalid port 22: Connection refused' >&2\n"
            + "exit 255\n");
    Files.setPosixFilePermissions(fakeSsh, PosixFilePermissions.fromString("rwx------"));
  }

  @AfterEach
  void tearDown() {
    remote.close();
  }

  @Test
  void fetch_fileRemoteWithSystemGit_bringsTheCommits() throws Exception {
    String commit = remote.commit("app.py", "1\n");

    Optional<String> failure =
        new SystemGitFetcher(Optional.empty(), "ssh").fetch(cache, remote.url());

    assertThat(failure).isEmpty();
    try (Git git = Git.open(cache.toFile())) {
      assertThat(git.getRepository().resolve("refs/remotes/origin/main").getName())
          .isEqualTo(commit);
    }
  }

  @Test
  void fetch_sshWithDeployKey_usesOnlyThatKeyInAnOwnerOnlyFileAndDeletesIt() throws Exception {
    Optional<String> failure =
        new SystemGitFetcher(Optional.of(KEY), fakeSsh.toString())
            .fetch(cache, "ssh://git@example.invalid/app.git");

    assertThat(failure).isPresent();
    assertThat(failure.get())
        .startsWith("git fetch from ssh://***@example.invalid/app.git failed (exit 128): ");
    String call = Files.readString(record);
    assertThat(call)
        .contains("-o IdentitiesOnly=yes")
        .contains("-o StrictHostKeyChecking=accept-new")
        .contains("-o UserKnownHostsFile=" + cache.getParent().resolve("known_hosts"))
        .contains("-o BatchMode=yes")
        .contains("example.invalid")
        .contains("\n600\n" + KEY + "\n");
    try (Stream<Path> left = Files.list(cache.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .doesNotContain("deploy-key")
          .allMatch(n -> !n.startsWith(".deploy-key"));
    }
  }

  @Test
  void converge_sshRemote_goesThroughTheSystemGitWithTheSecret() throws Exception {
    GitReleaseExecutor executor =
        new GitReleaseExecutor(new PathGuard(List.of(tmp.resolve("srv"))), fakeSsh.toString());

    Convergence c =
        executor.converge(
            GitRelease.newBuilder()
                .setRoot(tmp.resolve("srv/app").toString())
                .setUrl("ssh://git@example.invalid/app.git")
                .setCommit("0123456789abcdef0123456789abcdef01234567")
                .setDeployKeySecret("deploy-key")
                .build(),
            Contexts.withSecrets(stateDir, Map.of("deploy-key", KEY)));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("Connection refused").doesNotContain("AAAAtest");
    assertThat(Files.readString(record)).contains(KEY);
  }

  @Test
  void converge_deployKeySecretMissing_failsNamingIt() throws Exception {
    GitReleaseExecutor executor =
        new GitReleaseExecutor(new PathGuard(List.of(tmp.resolve("srv"))));

    Convergence c =
        executor.converge(
            GitRelease.newBuilder()
                .setRoot(tmp.resolve("srv/app").toString())
                .setUrl("ssh://git@example.invalid/app.git")
                .setCommit("0123456789abcdef0123456789abcdef01234567")
                .setDeployKeySecret("deploy-key")
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.reason())
        .isEqualTo("deploy key secret 'deploy-key' is not among the application's secrets");
  }

  @Test
  void converge_withThePlansHostKey_pinsItInKnownHosts_andChecksStrictly() throws Exception {
    GitReleaseExecutor executor =
        new GitReleaseExecutor(new PathGuard(List.of(tmp.resolve("srv"))), fakeSsh.toString());
    Path knownHosts = tmp.resolve("srv/app/.pulley/known_hosts");
    Files.writeString(knownHosts, "[example.invalid]:2222 " + KnownHostsTest.OLD + "\n");

    Convergence c =
        executor.converge(
            GitRelease.newBuilder()
                .setRoot(tmp.resolve("srv/app").toString())
                .setUrl("ssh://git@example.invalid:2222/app.git")
                .setCommit("0123456789abcdef0123456789abcdef01234567")
                .setDeployKeySecret("deploy-key")
                .setHostKey(KnownHostsTest.KEY)
                .build(),
            Contexts.withSecrets(stateDir, Map.of("deploy-key", KEY)));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(Files.readString(record))
        .contains("-o StrictHostKeyChecking=yes")
        .doesNotContain("accept-new");
    assertThat(Files.readAllLines(knownHosts))
        .containsExactly("[example.invalid]:2222 " + KnownHostsTest.KEY);
  }

  @Test
  void fetch_fromAServerThePinIsNotFor_trustsOnFirstUseAsBefore() throws Exception {
    SystemGitFetcher fetcher =
        new SystemGitFetcher(
            Optional.of(KEY),
            fakeSsh.toString(),
            Optional.of(
                new SystemGitFetcher.PinnedKey(
                    new RemoteHost("example.invalid", 22), KnownHostsTest.KEY)));

    fetcher.fetch(cache, "ssh://git@submodules.invalid/lib.git");

    assertThat(Files.readString(record)).contains("-o StrictHostKeyChecking=accept-new");
    assertThat(cache.getParent().resolve("known_hosts")).doesNotExist();
  }

  @Test
  void converge_withAHostKeyThatIsNoKeyLine_failsAndTrustsNothing() throws Exception {
    GitReleaseExecutor executor =
        new GitReleaseExecutor(new PathGuard(List.of(tmp.resolve("srv"))), fakeSsh.toString());

    Convergence c =
        executor.converge(
            GitRelease.newBuilder()
                .setRoot(tmp.resolve("srv/app").toString())
                .setUrl("ssh://git@example.invalid/app.git")
                .setCommit("0123456789abcdef0123456789abcdef01234567")
                .setHostKey(KnownHostsTest.KEY + "\n* " + KnownHostsTest.OLD)
                .build(),
            Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("host_key");
    assertThat(record).doesNotExist();
  }

  @Test
  void isSsh_recognisesSshAndScpLikeUrls() {
    assertThat(Fetcher.isSsh("ssh://git@host/x.git")).isTrue();
    assertThat(Fetcher.isSsh("git@github.com:org/x.git")).isTrue();
    assertThat(Fetcher.isSsh("https://host/x.git")).isFalse();
    assertThat(Fetcher.isSsh("file:///srv/git/x.git")).isFalse();
  }
}
