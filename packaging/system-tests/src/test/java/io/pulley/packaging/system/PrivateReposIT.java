package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianRelease;
import io.pulley.packaging.harness.PristineServer;
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

  @Test
  void letsEncrypt_asPebble_issuesTheCertificate_thenTheSiteIsHttps_andItRenews() throws Exception {
    String domain = "secure.example.test";
    Pebble pebble =
        Pebble.start(git.server(), "acme.pulley.test", domain, sample.server().address());
    sample
        .server()
        .execOrThrow(
            "sh", "-c", "echo '" + git.server().address() + " acme.pulley.test' >> /etc/hosts");
    Path manifest =
        FrameworkManifests.flask(
            work,
            "secure",
            domain,
            8,
            9,
            "url: \"" + upstream.url() + "\", ref: main",
            "",
            "\n    tls:\n      acme:\n        email: ops@example.test\n        directory: "
                + pebble.directory()
                + "\n        ca: |\n"
                + pebble.caPem().strip().indent(10).stripTrailing());

    int revision = sample.apply(manifest);
    StatusReport report = sample.awaitApplyOf("secure/production", revision, "", COLD);
    assertThat(report.succeeded()).as(report.text()).isTrue();
    assertThat(report.outcomeOf("secure/production", "command:certificate")).isEqualTo("changed");
    assertThat(report.outcomeOf("secure/production", "file:nginx-site-tls")).isEqualTo("changed");
    PristineServer server = sample.server();
    server.writeFile(
        "/root/pebble-root.pem", pebble.issuingRoot(server, "/etc/pulley/acme/secure-ca.pem"));

    // Checked against Pebble's root: the certificate chains to it and names the domain.
    String first = overHttps(server, domain);
    assertThat(first).contains("issuer=Pebble Intermediate", "status=200", "body=ok");
    assertThat(server.execOrThrow("python3", "-c", HTTP_STATUS, domain, "/").stdout())
        .as("plain HTTP goes to HTTPS")
        .contains("301 https://" + domain + "/");
    assertThat(server.execOrThrow("python3", "-c", HTTP_STATUS, domain, "/health").stdout())
        .as("the health check is answered over HTTP")
        .contains("200");

    // Renewal, forced: certbot's deploy hook (kept in its renewal settings) reloads nginx.
    server
        .exec(
            Duration.ofMinutes(3),
            "env",
            "REQUESTS_CA_BUNDLE=/etc/pulley/acme/secure-ca.pem",
            "certbot",
            "renew",
            "--force-renewal",
            "--no-random-sleep-on-renew",
            "--cert-name",
            "secure")
        .orThrow();
    String renewed = overHttps(server, domain);
    assertThat(serial(renewed)).isNotEqualTo(serial(first));
    assertThat(renewed).contains("issuer=Pebble Intermediate", "body=ok");

    // Applied again, the certificate is kept: nothing changes.
    String before = sample.status().lastApply();
    int again = sample.apply(manifest);
    StatusReport same = sample.awaitApplyOf("secure/production", again, before, WARM);
    assertThat(same.text().lines().filter(line -> line.startsWith("secure/production ")))
        .as(same.text())
        .isNotEmpty()
        .allMatch(line -> line.contains(" unchanged "));
  }

  /** The certificate's serial and issuer seen on 127.0.0.1:443, and /health's answer. */
  private static String overHttps(PristineServer server, String domain) {
    return server.execOrThrow("python3", "-c", HTTPS_GET, domain).stdout();
  }

  private static String serial(String seen) {
    return seen.lines().filter(l -> l.startsWith("serial=")).findFirst().orElse("");
  }

  private static final String HTTPS_GET =
      """
      import socket, ssl, sys
      ctx = ssl.create_default_context(cafile="/root/pebble-root.pem")
      with socket.create_connection(("127.0.0.1", 443), timeout=20) as raw:
          with ctx.wrap_socket(raw, server_hostname=sys.argv[1]) as tls:
              cert = tls.getpeercert()
              print("serial=" + cert["serialNumber"])
              print("issuer=" + dict(x[0] for x in cert["issuer"])["commonName"])
              tls.sendall(("GET /health HTTP/1.1\\r\\nHost: " + sys.argv[1]
                           + "\\r\\nConnection: close\\r\\n\\r\\n").encode())
              answer = b""
              while chunk := tls.recv(4096):
                  answer += chunk
      head, _, body = answer.decode().partition("\\r\\n\\r\\n")
      print("status=" + head.split()[1])
      print("body=" + body.strip())
      """;

  private static final String HTTP_STATUS =
      """
      import http.client, sys
      c = http.client.HTTPConnection("127.0.0.1", 80, timeout=20)
      c.request("GET", sys.argv[2], headers={"Host": sys.argv[1]})
      r = c.getresponse()
      print(r.status, r.getheader("Location") or "")
      """;

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
