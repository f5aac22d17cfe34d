package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.testing.HttpsGitServer;
import io.pulley.testing.SshGitServer;
import io.pulley.testing.TestRepository;
import io.pulley.testing.TestTls;
import io.pulley.v1.GitRelease;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import io.pulley.v1.StackGit;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest naming a private remote compiles against real SSH and HTTPS servers: the secrets it
 * names are looked up, the host key is pinned or trusted and written into the stored manifest, and
 * every refusal names its field without the key or token.
 */
class PrivateRemotesCompileTest {

  private static final String TOKEN = "glpat-s3cret-token-value";

  @TempDir Path tmp;

  private final KeyPair deployKey = SshGitServer.newKey();
  private final Secrets access = new Secrets();
  private final ManifestCompiler compiler =
      new ManifestCompiler(new JGitRefResolver(Duration.ofSeconds(10)), access);
  private TestRepository repo;
  private RevCommit tagged;
  private SshGitServer ssh;
  private HttpsGitServer https;

  @BeforeEach
  void start() throws Exception {
    repo = TestRepository.create(tmp.resolve("app"));
    tagged = repo.commit("app.py", "print('one')\n");
    repo.annotatedTag("v1.0.0");
    ssh = SshGitServer.start(repo.gitDir(), "git", deployKey.getPublic(), SshGitServer.newKey());
    https = HttpsGitServer.start(repo.gitDir(), "oauth2", TOKEN);
    TestTls.get().trustInThisJvm();
  }

  @AfterEach
  void stop() {
    ssh.close();
    https.close();
    repo.close();
  }

  private static String stack(String git) {
    return """
        application: shop
        environment: production
        stack:
          git: %s
          web: {wsgi: shop.wsgi}
          site: {domains: [shop.example.com]}
        """
        .formatted(git);
  }

  private String sshStack(String extra) {
    return stack(
        "{url: \"%s\", ref: v1.0.0, deploy_key_secret: deploy-key%s}"
            .formatted(ssh.url("git"), extra));
  }

  private ManifestError onlyError(String yaml) {
    CompileResult result = compiler.compile(yaml, "shop.yaml");
    assertThat(result.errors()).hasSize(1);
    return result.errors().get(0);
  }

  @Test
  void sshWithTheDeployKey_pinsTheCommit_andWritesTheHostKeyTheAgentsWillAccept() {
    access.secrets.put("deploy-key", SshGitServer.privateKeyText(deployKey));

    CompileResult result = compiler.compile(sshStack(""), "shop.yaml");

    assertThat(result.errors()).isEmpty();
    Manifest manifest = result.manifest().orElseThrow();
    StackGit git = manifest.getStack().getGit();
    assertThat(git.getCommit()).isEqualTo(tagged.name());
    assertThat(git.getHostKey()).isEqualTo(ssh.hostKeyLine());
    assertThat(git.getHostKeyFingerprint()).isEqualTo(SshHostKey.fingerprint(ssh.hostKeyLine()));
    GitRelease checkout = checkout(manifest);
    assertThat(checkout.getHostKey()).isEqualTo(ssh.hostKeyLine());
    assertThat(checkout.getDeployKeySecret()).isEqualTo("deploy-key");
    assertThat(manifest.toString()).doesNotContain("OPENSSH");
  }

  @Test
  void sshWithATrustedHostKeyThatChanged_isRefusedAtTheUrlNamingBothFingerprints() {
    access.secrets.put("deploy-key", SshGitServer.privateKeyText(deployKey));
    KeyPair before = SshGitServer.newKey();
    access.trusted.put("127.0.0.1:" + ssh.port(), SshGitServer.publicKeyLine(before.getPublic()));

    ManifestError error = onlyError(sshStack(""));

    assertThat(error.getField()).isEqualTo("stack.git.url");
    assertThat(error.getReason())
        .contains("changed")
        .contains(SshGitServer.fingerprint(before.getPublic()))
        .contains(SshHostKey.fingerprint(ssh.hostKeyLine()))
        .contains("host_key");
  }

  @Test
  void sshWithAPinnedHostKey_overridesTheTrustedOne() {
    access.secrets.put("deploy-key", SshGitServer.privateKeyText(deployKey));
    access.trusted.put(
        "127.0.0.1:" + ssh.port(), SshGitServer.publicKeyLine(SshGitServer.newKey().getPublic()));

    CompileResult result =
        compiler.compile(sshStack(", host_key: \"" + ssh.hostKeyLine() + " admin@laptop\""), "a");

    assertThat(result.errors()).isEmpty();
    assertThat(result.manifest().orElseThrow().getStack().getGit().getHostKey())
        .isEqualTo(ssh.hostKeyLine());
  }

  @Test
  void sshWithAPinnedHostKeyTheServerDoesNotShow_isRefusedAtHostKey() {
    access.secrets.put("deploy-key", SshGitServer.privateKeyText(deployKey));
    String other = SshGitServer.publicKeyLine(SshGitServer.newKey().getPublic());

    ManifestError error = onlyError(sshStack(", host_key: \"" + other + "\""));

    assertThat(error.getField()).isEqualTo("stack.git.host_key");
    assertThat(error.getReason()).contains(SshHostKey.fingerprint(other));
  }

  @Test
  void sshWithAWrongKey_isRefusedAtTheSecret_withItsFingerprintAndNoKeyMaterial() {
    KeyPair wrong = SshGitServer.newKey();
    access.secrets.put("deploy-key", SshGitServer.privateKeyText(wrong));

    ManifestError error = onlyError(sshStack(""));

    assertThat(error.getField()).isEqualTo("stack.git.deploy_key_secret");
    assertThat(error.getReason())
        .contains("refused the deploy key")
        .contains(SshGitServer.fingerprint(wrong.getPublic()));
    PrivateRemoteResolverTest.assertNoKeyMaterial(
        error.getReason(), SshGitServer.privateKeyText(wrong));
  }

  @Test
  void aSecretThatIsNotSet_isRefusedAtItsField_withHowToSetIt() {
    ManifestError error = onlyError(sshStack(""));

    assertThat(error.getField()).isEqualTo("stack.git.deploy_key_secret");
    assertThat(error.getReason())
        .contains("\"deploy-key\" is not set")
        .contains("pulley secret set shop production deploy-key");
  }

  @Test
  void httpsWithTheToken_compiles_andTheTokenIsNowhereInTheManifest() {
    access.secrets.put("git-token", TOKEN + "\n");

    CompileResult result =
        compiler.compile(
            stack(
                "{url: \"%s\", ref: v1.0.0, token_secret: git-token, username: oauth2}"
                    .formatted(https.url())),
            "shop.yaml");

    assertThat(result.errors()).isEmpty();
    Manifest manifest = result.manifest().orElseThrow();
    assertThat(manifest.getStack().getGit().getCommit()).isEqualTo(tagged.name());
    assertThat(checkout(manifest).getTokenSecret()).isEqualTo("git-token");
    assertThat(checkout(manifest).getUsername()).isEqualTo("oauth2");
    assertThat(manifest.toString()).doesNotContain(TOKEN);
    assertThat(https.requests()).noneMatch(r -> r.contains(TOKEN));
  }

  @Test
  void httpsWithAWrongToken_isRefusedAtTheSecret_withoutIt() {
    access.secrets.put("git-token", "wrong-token-value");

    ManifestError error =
        onlyError(
            stack(
                "{url: \"%s\", ref: v1.0.0, token_secret: git-token, username: oauth2}"
                    .formatted(https.url())));

    assertThat(error.getField()).isEqualTo("stack.git.token_secret");
    assertThat(error.getReason()).contains("refused the token").doesNotContain("wrong-token");
  }

  @Test
  void aGitReleaseResource_isReadWithItsSecretToo() {
    access.secrets.put("deploy-key", SshGitServer.privateKeyText(deployKey));
    String yaml =
        """
        application: shop
        environment: production
        resources:
          - git_release: {root: /srv/shop, url: "%s", ref: v1.0.0, deploy_key_secret: deploy-key}
        """
            .formatted(ssh.url("git"));

    CompileResult result = compiler.compile(yaml, "shop.yaml");

    assertThat(result.errors()).isEmpty();
    GitRelease release = result.manifest().orElseThrow().getResources(0).getGitRelease();
    assertThat(release.getCommit()).isEqualTo(tagged.name());
    assertThat(release.getHostKey()).isEqualTo(ssh.hostKeyLine());
  }

  private static GitRelease checkout(Manifest manifest) {
    return manifest.getResourcesList().stream()
        .filter(r -> r.getId().equals("release:checkout"))
        .map(Resource::getGitRelease)
        .findFirst()
        .orElseThrow();
  }

  /** The application's secrets and the trusted host keys, in memory. */
  private static final class Secrets implements RemoteAccess {
    final Map<String, String> secrets = new HashMap<>();
    final Map<String, String> trusted = new HashMap<>();

    @Override
    public Optional<String> secret(AppEnv app, String name) {
      return app.equals(new AppEnv("shop", "production"))
          ? Optional.ofNullable(secrets.get(name))
          : Optional.empty();
    }

    @Override
    public Optional<String> trustedHostKey(String hostPort) {
      return Optional.ofNullable(trusted.get(hostPort));
    }
  }
}
