package io.pulley.controller.revisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.Events;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.SshHostKey;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.secrets.SecretKeeper;
import io.pulley.controller.store.SqliteStore;
import io.pulley.controller.tracking.Tracker;
import io.pulley.testing.HttpsGitServer;
import io.pulley.testing.ManualClock;
import io.pulley.testing.SshGitServer;
import io.pulley.testing.TestRepository;
import io.pulley.testing.TestTls;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Revision;
import io.pulley.v1.StackGit;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulley apply} of a private repository, as the controller wires it (the real resolver, the
 * SQLite store's secrets and trusted host keys), against real SSH and HTTPS servers on loopback;
 * and tracking a tag of one.
 */
class PrivateRemoteApplyTest {

  private static final AppEnv SHOP = new AppEnv("shop", "production");
  private static final String TOKEN = "ghp_s3cret-token-value";

  @TempDir Path temp;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final KeyPair deployKey = SshGitServer.newKey();
  private TestRepository repo;
  private RevCommit tagged;
  private SshGitServer ssh;
  private HttpsGitServer https;
  private SqliteStore store;
  private SecretKeeper secrets;
  private RevisionLog revisions;

  @BeforeEach
  void start() throws Exception {
    repo = TestRepository.create(temp.resolve("repo"));
    tagged = repo.commit("app.py", "one\n");
    repo.annotatedTag("v1.0.0");
    ssh = SshGitServer.start(repo.gitDir(), "git", deployKey.getPublic(), SshGitServer.newKey());
    https = HttpsGitServer.start(repo.gitDir(), "x-access-token", TOKEN);
    TestTls.get().trustInThisJvm();
    store = SqliteStore.open(temp.resolve("data"));
    AuditTrail audit = new AuditTrail(store, clock);
    secrets = new SecretKeeper(store, new Random(7), clock, audit);
    revisions =
        new RevisionLog(
            store,
            new ManifestCompiler(
                new JGitRefResolver(Duration.ofSeconds(10)), secrets.remoteAccess()),
            secrets,
            clock,
            ControllerMetrics.discarding(),
            Events.NONE);
  }

  @AfterEach
  void stop() {
    ssh.close();
    https.close();
    store.close();
    repo.close();
  }

  private String overSsh(String ref, String extra) {
    return """
        application: shop
        environment: production
        track: {tags: "v*"}
        stack:
          git: {url: "%s", ref: %s, deploy_key_secret: deploy-key%s}
          web: {wsgi: shop.wsgi}
          site: {domains: [shop.example.com]}
        """
        .formatted(ssh.url("git"), ref, extra);
  }

  private String overHttps(String tokenSecret) {
    return """
        application: shop
        environment: production
        stack:
          git: {url: "%s", ref: v1.0.0, token_secret: %s}
          web: {wsgi: shop.wsgi}
          site: {domains: [shop.example.com]}
        """
        .formatted(https.url(), tokenSecret);
  }

  private ApplyResult apply(String yaml) {
    return revisions.apply(yaml, "shop.yaml", false, "ann@laptop");
  }

  private List<ManifestError> rejected(String yaml) {
    ApplyResult result = apply(yaml);
    assertThat(result).as(result.toString()).isInstanceOf(ApplyResult.Rejected.class);
    return ((ApplyResult.Rejected) result).errors();
  }

  private String hostPort() {
    return "127.0.0.1:" + ssh.port();
  }

  @Test
  void firstApply_trustsTheHostKeyShown_storesIt_andShowsItsFingerprint() {
    secrets.set(SHOP, "deploy-key", SshGitServer.privateKeyText(deployKey), "ann@laptop");

    ApplyResult result = apply(overSsh("v1.0.0", ""));

    assertThat(result).isInstanceOf(ApplyResult.Accepted.class);
    ApplyResult.Accepted accepted = (ApplyResult.Accepted) result;
    StackGit git = accepted.revision().orElseThrow().getManifest().getStack().getGit();
    assertThat(git.getCommit()).isEqualTo(tagged.name());
    String fingerprint = SshHostKey.fingerprint(ssh.hostKeyLine());
    assertThat(git.getHostKeyFingerprint()).isEqualTo(fingerprint);
    assertThat(accepted.diff()).contains(fingerprint);
    assertThat(accepted.notices())
        .singleElement()
        .satisfies(n -> assertThat(n).contains(hostPort(), fingerprint, "ssh-keyscan"));
    assertThat(store.sshHostKey(hostPort())).contains(ssh.hostKeyLine());
    assertThat(store.events(SHOP, 10))
        .extracting(AuditEvent::getDetail)
        .anySatisfy(d -> assertThat(d).contains(fingerprint, "trusted on first use"));
  }

  @Test
  void aDryRun_showsTheKeyItWouldTrust_butTrustsNothing() {
    secrets.set(SHOP, "deploy-key", SshGitServer.privateKeyText(deployKey), "ann@laptop");

    ApplyResult result = revisions.apply(overSsh("v1.0.0", ""), "shop.yaml", true, "ann@laptop");

    assertThat(((ApplyResult.Accepted) result).notices())
        .singleElement()
        .satisfies(n -> assertThat(n).contains("trusted on first use"));
    assertThat(store.sshHostKey(hostPort())).isEmpty();
    assertThat(store.listRevisions(SHOP, 10)).isEmpty();
  }

  @Test
  void aChangedHostKey_isRefusedLater_namingBothFingerprints_andNothingIsStored() throws Exception {
    secrets.set(SHOP, "deploy-key", SshGitServer.privateKeyText(deployKey), "ann@laptop");
    apply(overSsh("v1.0.0", ""));
    String trusted = ssh.hostKeyLine();
    KeyPair impostor = SshGitServer.newKey();
    ssh.replaceHostKey(impostor);
    repo.commit("app.py", "two\n");

    List<ManifestError> errors = rejected(overSsh("main", ""));

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.url");
              assertThat(e.getReason())
                  .contains(SshGitServer.fingerprint(impostor.getPublic()))
                  .contains(SshHostKey.fingerprint(trusted));
            });
    assertThat(store.listRevisions(SHOP, 10)).hasSize(1);
    assertThat(store.sshHostKey(hostPort())).contains(trusted);
  }

  @Test
  void pinningTheNewHostKey_isAccepted_andTrustedFromThenOn() {
    secrets.set(SHOP, "deploy-key", SshGitServer.privateKeyText(deployKey), "ann@laptop");
    apply(overSsh("v1.0.0", ""));
    ssh.replaceHostKey(SshGitServer.newKey());
    String replaced = ssh.hostKeyLine();

    ApplyResult pinned = apply(overSsh("v1.0.0", ", host_key: \"" + replaced + "\""));

    assertThat(pinned).isInstanceOf(ApplyResult.Accepted.class);
    assertThat(((ApplyResult.Accepted) pinned).notices())
        .singleElement()
        .satisfies(n -> assertThat(n).contains("replacing"));
    assertThat(store.sshHostKey(hostPort())).contains(replaced);
    ApplyResult again = apply(overSsh("v1.0.0", ""));
    assertThat(again).isInstanceOf(ApplyResult.Accepted.class);
    assertThat(((ApplyResult.Accepted) again).notices()).isEmpty();
  }

  @Test
  void aWrongDeployKey_isRefusedAtItsField_withoutKeyMaterial_andNothingIsStored() {
    String wrong = SshGitServer.privateKeyText(SshGitServer.newKey());
    secrets.set(SHOP, "deploy-key", wrong, "ann@laptop");

    List<ManifestError> errors = rejected(overSsh("v1.0.0", ""));

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.deploy_key_secret");
              assertThat(e.getReason()).contains("refused the deploy key");
              wrong
                  .lines()
                  .filter(l -> !l.startsWith("-----"))
                  .forEach(l -> assertThat(e.getReason()).doesNotContain(l));
            });
    assertThat(store.listRevisions(SHOP, 10)).isEmpty();
    assertThat(store.sshHostKey(hostPort())).isEmpty();
  }

  @Test
  void httpsWithAnUnknownSecret_thenAWrongToken_areRefused_andTheRightOneIsAccepted() {
    assertThat(rejected(overHttps("git-token")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.token_secret");
              assertThat(e.getReason()).contains("is not set", "pulley secret set");
            });
    secrets.set(SHOP, "git-token", "ghp_wrong-one", "ann@laptop");
    assertThat(rejected(overHttps("git-token")))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.token_secret");
              assertThat(e.getReason()).doesNotContain("ghp_wrong-one");
            });

    secrets.set(SHOP, "git-token", TOKEN + "\n", "ann@laptop");
    ApplyResult accepted = apply(overHttps("git-token"));

    assertThat(accepted).isInstanceOf(ApplyResult.Accepted.class);
    Revision stored = store.currentRevision(SHOP).orElseThrow();
    assertThat(stored.toString()).doesNotContain(TOKEN);
    assertThat(((ApplyResult.Accepted) accepted).diff()).doesNotContain(TOKEN);
    assertThat(revisions.secretsOf(stored)).containsKey("git-token");
  }

  @Test
  void tracking_aTagOfAPrivateRemote_picksUpTheNewTag() throws Exception {
    secrets.set(SHOP, "deploy-key", SshGitServer.privateKeyText(deployKey), "ann@laptop");
    apply(overSsh("v1.0.0", ""));
    Tracker tracker =
        new Tracker(
            revisions,
            new JGitRefResolver(Duration.ofSeconds(10)),
            secrets.remoteAccess(),
            store,
            new AuditTrail(store, clock),
            clock,
            new Random(7));
    RevCommit next = repo.commit("app.py", "two\n");
    repo.annotatedTag("v1.1.0");

    clock.advance(Duration.ofMinutes(5));
    tracker.tick();

    Revision current = store.currentRevision(SHOP).orElseThrow();
    StackGit git = current.getManifest().getStack().getGit();
    assertThat(git.getRef()).isEqualTo("v1.1.0");
    assertThat(git.getCommit()).isEqualTo(next.name());
    assertThat(git.getHostKey()).isEqualTo(ssh.hostKeyLine());
    assertThat(ssh.logins()).isEqualTo(2);
  }
}
