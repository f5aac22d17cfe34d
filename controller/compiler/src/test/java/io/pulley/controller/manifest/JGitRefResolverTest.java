package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.pulley.testing.TestRepository;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGitRefResolverTest {

  @TempDir Path tmp;

  private final JGitRefResolver resolver = new JGitRefResolver(Duration.ofSeconds(10));
  private TestRepository repo;
  private RevCommit first;
  private RevCommit second;

  @BeforeEach
  void createRepository() throws Exception {
    repo = TestRepository.create(tmp.resolve("app"));
    first = repo.commit("app.py", "print('one')\n");
    repo.annotatedTag("v1.0.0");
    repo.lightweightTag("light");
    repo.branch("stable");
    second = repo.commit("app.py", "print('two')\n");
  }

  @AfterEach
  void closeRepository() {
    repo.close();
  }

  @Test
  void resolve_annotatedTag_givesTheTaggedCommitNotTheTagObject() {
    assertThat(resolver.resolve(repo.url(), "v1.0.0"))
        .isEqualTo(RefResolution.resolved(first.name()));
  }

  @Test
  void resolve_overDumbHttp_givesTheBranchTip() throws Exception {
    // The "dumb" protocol serves plain files: the ref list is info/refs, as update-server-info
    // writes it.
    String infoRefs = second.name() + "\trefs/heads/main\n";
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    server.createContext(
        "/app.git/info/refs",
        exchange -> {
          byte[] body = infoRefs.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/app.git";
      assertThat(resolver.resolve(url, "main")).isEqualTo(RefResolution.resolved(second.name()));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void resolve_lightweightTag_givesItsCommit() {
    assertThat(resolver.resolve(repo.url(), "light"))
        .isEqualTo(RefResolution.resolved(first.name()));
  }

  @Test
  void resolve_branch_givesItsTip() {
    assertThat(resolver.resolve(repo.url(), "main"))
        .isEqualTo(RefResolution.resolved(second.name()));
    assertThat(resolver.resolve(repo.url(), "stable"))
        .isEqualTo(RefResolution.resolved(first.name()));
  }

  @Test
  void resolve_fullRefNames_areLookedUpAsWritten() {
    assertThat(resolver.resolve(repo.url(), "refs/heads/main"))
        .isEqualTo(RefResolution.resolved(second.name()));
    assertThat(resolver.resolve(repo.url(), "refs/tags/v1.0.0"))
        .isEqualTo(RefResolution.resolved(first.name()));
  }

  @Test
  void resolve_fullCommitId_isTakenAsItIs() {
    String upper = first.name().toUpperCase(java.util.Locale.ROOT);

    assertThat(resolver.resolve(repo.url(), upper)).isEqualTo(RefResolution.resolved(first.name()));
  }

  @Test
  void resolve_missingRef_isNotFound() {
    assertThat(resolver.resolve(repo.url(), "v9")).isEqualTo(RefResolution.notFound());
  }

  @Test
  void resolve_missingRepository_isUnreachableWithoutCredentials() {
    String url = "https://user:s3cret@127.0.0.1:1/nothing.git";

    RefResolution result = resolver.resolve(url, "main");

    assertThat(result.outcome()).isEqualTo(RefResolution.Outcome.UNREACHABLE);
    assertThat(result.reason()).isNotEmpty().doesNotContain("s3cret");
  }

  @Test
  void resolve_missingLocalRepository_isUnreachable() {
    RefResolution result = resolver.resolve(tmp.resolve("absent").toUri().toString(), "main");

    assertThat(result.outcome()).isEqualTo(RefResolution.Outcome.UNREACHABLE);
  }

  @Test
  void constructor_zeroTimeout_failsWithTheValue() {
    assertThatThrownBy(() -> new JGitRefResolver(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }
}
