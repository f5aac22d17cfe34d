package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianRelease;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Private repositories end to end on pristine Debian 13 servers: a Git server of its own (OpenSSH
 * with deploy keys, git-http-backend behind nginx over HTTPS with basic authentication), and the
 * Flask sample deployed from it over SSH with a deploy key and tracked by tag, with a wrong key
 * refused at apply and a rotated key taken up, and over HTTPS with a token.
 */
class PrivateReposIT {
  private static final Duration COLD = Duration.ofMinutes(15);
  private static final Duration WARM = Duration.ofMinutes(4);
  private static final String TOKEN = HexFormat.of().formatHex(new SecureRandom().generateSeed(20));

  private static TestNetwork.Hold network;
  private static Path work;
  private static SampleRepository upstream;
  private static PrivateGitServer git;
  private static SampleSite sample;

  @BeforeAll
  static void boot() throws Exception {
    network = TestNetwork.hold(); // the upstream repository binds the host's address first
    work = Files.createTempDirectory("pulley-private-repos-it");
    String pid = Long.toString(ProcessHandle.current().pid());
    upstream =
        SampleRepository.seededFrom(
            Artifacts.sample("flask-notes"), work.resolve("upstream"), TestNetwork.HOST_ADDRESS);
    upstream.tag("v1.0.0");
    git = PrivateGitServer.start(pid + "-git", upstream.url(), TOKEN);
    // The controller trusts the Git server's certificate as an admin's CA: a trust store.
    Path certificate = git.certificateFile(work.resolve("git-server.pem"));
    Path trustStore = work.resolve("trust.p12");
    Process keytool =
        new ProcessBuilder(
                "keytool",
                "-importcert",
                "-noprompt",
                "-alias",
                "git-server",
                "-file",
                certificate.toString(),
                "-keystore",
                trustStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(output).isZero();
    sample =
        SampleSite.start(
            work,
            pid + "-private",
            DebianRelease.TRIXIE,
            Artifacts.sample("flask-notes"),
            List.of(
                "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=changeit"));
    // The web server trusts it the Debian way, for the agent's fetches.
    sample.server().writeFile("/usr/local/share/ca-certificates/git-server.crt", git.certificate());
    sample.server().execOrThrow("update-ca-certificates");
    sample.server().execOrThrow("systemctl", "restart", "pulley-agent");
  }

  @AfterAll
  static void shutDown() {
    SampleSite.closeAll(sample, git, upstream, network);
  }

  @Test
  void sshWithADeployKey_isRefusedWithAWrongKey_deploys_followsTags_andTakesARotatedKey()
      throws Exception {
    SiteClient site = sample.site("keyed.example.test");
    int stranger = git.newKey(); // never authorized
    setSecret("keyed", "deploy-key", git.privateKey(stranger));
    Path manifest =
        FrameworkManifests.flask(
            work,
            "keyed",
            "keyed.example.test",
            1,
            2,
            "url: \"" + git.sshUrl() + "\", ref: v1.0.0, deploy_key_secret: deploy-key",
            "track: {tags: \"v*\", interval_seconds: 5}\n");

    HostController.Cli refused = sample.controller().pulley("apply", "-f", manifest.toString());
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.err() + refused.out())
        .contains("deploy_key_secret")
        .doesNotContain("PRIVATE");

    setSecret("keyed", "deploy-key", git.privateKey(1));
    HostController.Cli applied = sample.controller().pulley("apply", "-f", manifest.toString());
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    String shown = applied.err() + applied.out();
    assertThat(git.hostKeyFingerprints()).isNotEmpty().anyMatch(shown::contains);
    int revision = SampleSite.revisionIn(applied.out());
    StatusReport report = sample.awaitApplyOf("keyed/production", revision, "", COLD);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    assertThat(site.get("/version").body()).isEqualTo("1.0");

    release("1.1");
    await().atMost(WARM).until(() -> site.get("/version").body().equals("1.1"));

    int rotated = git.newKey();
    git.authorize(rotated); // the first key no longer works
    setSecret("keyed", "deploy-key", git.privateKey(rotated));
    release("1.2");
    await().atMost(WARM).until(() -> site.get("/version").body().equals("1.2"));
  }

  @Test
  void httpsWithAToken_deploys_andTheTokenIsInNoRevision() throws Exception {
    SiteClient site = sample.site("mirror.example.test");
    setSecret("mirror", "git-token", TOKEN);
    Path manifest =
        FrameworkManifests.flask(
            work,
            "mirror",
            "mirror.example.test",
            6,
            7,
            "url: \""
                + git.httpsUrl()
                + "\", ref: main, token_secret: git-token, username: "
                + PrivateGitServer.USER,
            "");

    int revision = sample.apply(manifest);
    StatusReport report = sample.awaitApplyOf("mirror/production", revision, "", COLD);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    assertThat(site.get("/health").body()).isEqualTo("ok");
    assertThat(sample.controller().pulley("revision", "mirror", "production").out())
        .contains("token_secret")
        .doesNotContain(TOKEN);
    assertThat(sample.server().exec("grep", "-rlF", TOKEN, "/srv/mirror", "/etc").stdout())
        .isEmpty();
  }

  private static void setSecret(String application, String name, String value) throws Exception {
    HostController.Cli set =
        sample
            .controller()
            .pulleyWithInput(value, "secret", "set", application, "production", name);
    assertThat(set.exitCode()).as(set.toString()).isZero();
  }

  /** A commit and its tag upstream, mirrored to the private server, where tracking sees it. */
  private static void release(String version) throws Exception {
    upstream.commit(Map.of("notes/VERSION", version + "\n"), "version " + version);
    upstream.tag("v" + version + ".0");
    git.sync();
  }
}
