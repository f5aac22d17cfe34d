package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.testing.HttpsGitServer;
import io.pulley.testing.SshGitServer;
import io.pulley.testing.TestRepository;
import io.pulley.testing.TestTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refs of private remotes are read over real SSH and HTTPS servers on loopback. */
class PrivateRemoteResolverTest {

  private static final String TOKEN = "glpat-s3cret-token-value";

  @TempDir Path tmp;

  private final JGitRefResolver resolver = new JGitRefResolver(Duration.ofSeconds(10));
  private final KeyPair deployKey = SshGitServer.newKey();
  private final KeyPair hostKey = SshGitServer.newKey();
  private TestRepository repo;
  private RevCommit tagged;
  private SshGitServer ssh;
  private HttpsGitServer https;

  @BeforeEach
  void start() throws Exception {
    repo = TestRepository.create(tmp.resolve("app"));
    tagged = repo.commit("app.py", "print('one')\n");
    repo.annotatedTag("v1.0.0");
    repo.commit("app.py", "print('two')\n");
    ssh = SshGitServer.start(repo.gitDir(), "git", deployKey.getPublic(), hostKey);
    https = HttpsGitServer.start(repo.gitDir(), "x-access-token", TOKEN);
    TestTls.get().trustInThisJvm();
  }

  @AfterEach
  void stop() {
    ssh.close();
    https.close();
    repo.close();
  }

  private GitRemote overSsh(KeyPair key, String expectedHostKey) {
    return GitRemote.ssh(ssh.url("git"), SshGitServer.privateKeyText(key), expectedHostKey);
  }

  @Test
  void resolve_tagOverSshWithTheDeployKey_givesTheCommitAndTheHostKeyShown() {
    RefResolution result = resolver.resolve(overSsh(deployKey, ""), "v1.0.0");

    assertThat(result).isEqualTo(RefResolution.resolved(tagged.name(), ssh.hostKeyLine()));
    assertThat(ssh.logins()).isEqualTo(1);
  }

  @Test
  void resolve_withAWrongKey_isRefusedAtTheKeyByItsFingerprint_withoutKeyMaterial() {
    KeyPair wrong = SshGitServer.newKey();
    String wrongText = SshGitServer.privateKeyText(wrong);

    RefResolution result = resolver.resolve(overSsh(wrong, ""), "v1.0.0");

    assertThat(result.outcome()).isEqualTo(RefResolution.Outcome.UNREACHABLE);
    assertThat(result.field()).isEqualTo("deploy_key_secret");
    assertThat(result.reason())
        .contains("refused the deploy key")
        .contains(SshGitServer.fingerprint(wrong.getPublic()));
    assertNoKeyMaterial(result.reason(), wrongText);
    assertThat(ssh.logins()).isZero();
  }

  @Test
  void resolve_withoutAKey_saysToNameOne() {
    RefResolution result = resolver.resolve(GitRemote.ssh(ssh.url("git"), "", ""), "v1.0.0");

    assertThat(result.field()).isEqualTo("url");
    assertThat(result.reason()).contains("deploy_key_secret");
  }

  @Test
  void resolve_withAPassphraseProtectedOrUnreadableKey_saysSoWithoutTheText() {
    String garbage = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n";

    RefResolution result = resolver.resolve(GitRemote.ssh(ssh.url("git"), garbage, ""), "v1.0.0");

    assertThat(result.field()).isEqualTo("deploy_key_secret");
    assertThat(result.reason()).contains("not an OpenSSH private key").doesNotContain("bm90");
  }

  @Test
  void resolve_withThePinnedHostKey_resolves() {
    RefResolution result = resolver.resolve(overSsh(deployKey, ssh.hostKeyLine()), "v1.0.0");

    assertThat(result.commit()).isEqualTo(tagged.name());
  }

  @Test
  void resolve_whenTheServerShowsAnotherHostKey_isRefusedNamingBothFingerprints() {
    String pinned = ssh.hostKeyLine();
    KeyPair other = SshGitServer.newKey();
    ssh.replaceHostKey(other);

    RefResolution result = resolver.resolve(overSsh(deployKey, pinned), "v1.0.0");

    assertThat(result.outcome()).isEqualTo(RefResolution.Outcome.UNREACHABLE);
    assertThat(result.field()).isEqualTo("host_key");
    assertThat(result.reason())
        .contains(SshGitServer.fingerprint(other.getPublic()))
        .contains(SshHostKey.fingerprint(pinned));
    assertThat(ssh.logins()).as("the key is never offered to an impostor").isZero();
  }

  @Test
  void resolve_aFullCommitIdOfAPrivateRemote_stillChecksTheKey() {
    RefResolution result =
        resolver.resolve(overSsh(SshGitServer.newKey(), ""), tagged.name().toUpperCase());

    assertThat(result.field()).isEqualTo("deploy_key_secret");
  }

  @Test
  void list_overSsh_givesEveryRefPeeled() throws IOException {
    assertThat(resolver.list(overSsh(deployKey, ssh.hostKeyLine())))
        .containsEntry("refs/tags/v1.0.0", tagged.name());
  }

  @Test
  void resolve_overHttpsWithTheToken_givesTheCommit_andTheTokenNeverRidesInAUrl() {
    RefResolution result = resolver.resolve(GitRemote.https(https.url(), "", TOKEN), "v1.0.0");

    assertThat(result).isEqualTo(RefResolution.resolved(tagged.name()));
    assertThat(https.requests()).isNotEmpty().noneMatch(request -> request.contains(TOKEN));
  }

  @Test
  void resolve_overHttpsWithAWrongToken_isRefusedAtTheToken_withoutIt() {
    String wrong = "ghp_wrong-token-value";

    RefResolution result = resolver.resolve(GitRemote.https(https.url(), "", wrong), "v1.0.0");

    assertThat(result.field()).isEqualTo("token_secret");
    assertThat(result.reason()).contains("refused the token").doesNotContain(wrong);
    assertThat(https.refused()).isPositive();
  }

  @Test
  void resolve_overHttpsWithoutAToken_saysToNameOne() {
    RefResolution result = resolver.resolve(https.url(), "v1.0.0");

    assertThat(result.field()).isEqualTo("url");
    assertThat(result.reason()).contains("token_secret");
  }

  @Test
  void list_overHttpsWithAWrongToken_throwsWithoutIt() {
    String wrong = "ghp_wrong-token-value";

    assertThatThrownBy(() -> resolver.list(GitRemote.https(https.url(), "", wrong)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("token_secret")
        .hasMessageNotContaining(wrong);
  }

  @Test
  void toString_ofARemote_showsNeitherKeyNorToken() {
    String key = SshGitServer.privateKeyText(deployKey);

    assertThat(GitRemote.ssh(ssh.url("git"), key, "").toString()).doesNotContain("OPENSSH");
    assertThat(GitRemote.https(https.url(), "", TOKEN).toString()).doesNotContain(TOKEN);
  }

  /** No line of the private key's body, nor the whole of it, appears in {@code text}. */
  static void assertNoKeyMaterial(String text, String privateKey) {
    List<String> body =
        privateKey.lines().filter(line -> !line.startsWith("-----") && line.length() > 8).toList();
    assertThat(body).isNotEmpty();
    for (String line : body) {
      assertThat(text).doesNotContain(line);
    }
  }
}
