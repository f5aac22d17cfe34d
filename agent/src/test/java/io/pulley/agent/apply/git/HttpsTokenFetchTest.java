package io.pulley.agent.apply.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.testing.HttpsGitServer;
import io.pulley.testing.TestTls;
import io.pulley.v1.lite.GitRelease;
import io.pulley.v1.lite.ResourceOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An https:// remote with a token: fetched from a real HTTPS Git server with basic auth on
 * loopback, the token sent as the password and written nowhere.
 */
class HttpsTokenFetchTest extends GitReleaseFixture {

  private static final String TOKEN = "glpat-s3cret-token-value";

  private HttpsGitServer https;
  private String commit;

  @BeforeEach
  void startServer() throws Exception {
    commit = remote.commit("app.py", "print('hi')\n");
    https = HttpsGitServer.start(remote.bare.toFile(), "oauth2", TOKEN);
    TestTls.get().trustInThisJvm();
  }

  @AfterEach
  void stopServer() {
    https.close();
  }

  private GitRelease release(String username) {
    return GitRelease.newBuilder()
        .setRoot(root.toString())
        .setUrl(https.url())
        .setRef("main")
        .setCommit(commit)
        .setTokenSecret("git-token")
        .setUsername(username)
        .build();
  }

  @Test
  void converge_withTheToken_checksTheCommitOut_andWritesTheTokenNowhere() throws Exception {
    Convergence c =
        executor.converge(
            release("oauth2"), Contexts.withSecrets(stateDir, Map.of("git-token", TOKEN + "\n")));

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(root.resolve("current/app.py")).hasContent("print('hi')");
    assertThat(https.requests()).isNotEmpty().noneMatch(r -> r.contains(TOKEN));
    assertThat(filesHolding(root, TOKEN)).isEmpty();
  }

  @Test
  void converge_withAWrongToken_failsWithoutIt() throws Exception {
    Convergence c =
        executor.converge(
            release("oauth2"), Contexts.withSecrets(stateDir, Map.of("git-token", "wrong-tok")));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains(https.url()).doesNotContain("wrong-tok");
    assertThat(https.refused()).isPositive();
    assertThat(root.resolve("current")).doesNotExist();
  }

  @Test
  void converge_withoutAUsername_sendsTheDefaultOne() throws Exception {
    try (HttpsGitServer github =
        HttpsGitServer.start(remote.bare.toFile(), "x-access-token", TOKEN)) {
      GitRelease spec = release("").toBuilder().setUrl(github.url()).build();

      Convergence c =
          executor.converge(spec, Contexts.withSecrets(stateDir, Map.of("git-token", TOKEN)));

      assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    }
  }

  @Test
  void converge_withoutTheSecret_failsNamingIt() throws Exception {
    Convergence c = executor.converge(release("oauth2"), Contexts.plain(stateDir));

    assertThat(c.reason())
        .isEqualTo("token secret 'git-token' is not among the application's secrets");
  }

  @Test
  void theToken_isSentOnlyToItsOwnServer() {
    HttpsToken token = new HttpsToken(RemoteHost.of(https.url()).orElseThrow(), "u", TOKEN);

    assertThat(token.credentialsFor(https.url() + "/sub.git")).isNotNull();
    assertThat(token.credentialsFor("https://elsewhere.example/lib.git")).isNull();
    assertThat(token.credentialsFor(https.url().replace("https:", "http:"))).isNull();
    assertThat(token.toString()).doesNotContain(TOKEN);
  }

  private static java.util.List<Path> filesHolding(Path dir, String text) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                try {
                  return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
                      .contains(text);
                } catch (IOException e) {
                  return false;
                }
              })
          .toList();
    }
  }
}
