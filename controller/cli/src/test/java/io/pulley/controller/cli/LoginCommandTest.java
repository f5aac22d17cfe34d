package io.pulley.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import io.pulley.trust.KeyPairs;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginCommandTest {
  @TempDir Path dir;
  private TlsAccessServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    server = new TlsAccessServer(dir.resolve("controller"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void login_tokenOnStdin_savesCredentialsAndTheControllerAndSaysWhoYouAre() throws Exception {
    int exit = run(server.token.text() + "\n", Map.of(), "--controller", server.target(), "login");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("logged in to " + server.target() + " as admin alice, role admin");
    CredentialFiles files = new CredentialFiles(home().resolve(".config/pulley/credentials"));
    assertThat(files.exist()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.keyFile())))
        .isEqualTo("rw-------");
    assertThat(files.load().identity().name()).isEqualTo("alice");
    assertThat(Files.readString(home().resolve(".config/pulley/config.yaml")))
        .contains("controller: " + server.target());
    assertThat(server.enrolments.get(0).getToken()).isEqualTo(server.token.secretPart());
  }

  @Test
  void login_tokenFromEnvOrFile_isRead() throws Exception {
    Path file = Files.writeString(dir.resolve("admin.token"), server.token.text());

    assertThat(
            run(
                "",
                Map.of(),
                "--controller",
                server.target(),
                "login",
                "--token-file",
                file.toString()))
        .as(err.toString())
        .isZero();
    assertThat(
            run(
                "",
                Map.of("PULLEY_TOKEN", server.token.text()),
                "--controller",
                server.target(),
                "login"))
        .as(err.toString())
        .isZero();
    assertThat(server.enrolments).hasSize(2);
  }

  @Test
  void login_refusedToken_saysSoAndSavesNothing() {
    String wrong = io.pulley.trust.BootstrapToken.create(server.ca.pin()).text();

    int exit = run(wrong, Map.of(), "--controller", server.target(), "login");

    assertThat(exit).isEqualTo(ExitCodes.DENIED);
    assertThat(err.toString()).contains("refused the token");
    assertThat(new CredentialFiles(home().resolve(".config/pulley/credentials")).exist()).isFalse();
  }

  @Test
  void login_controllerWithAnotherCa_isRefusedBeforeTheTokenIsSent() throws Exception {
    var other =
        io.pulley.trust.CertificateAuthority.loadOrCreate(
            dir.resolve("other"), java.time.Clock.systemUTC());
    String forOther =
        new io.pulley.trust.BootstrapToken(other.pin(), server.token.id(), server.token.secret())
            .text();

    int exit = run(forOther, Map.of(), "--controller", server.target(), "login");

    assertThat(exit).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(server.enrolments).isEmpty();
  }

  @Test
  void command_withoutCredentials_saysToLogIn() {
    int exit = run("", Map.of(), "--controller", server.target(), "whoami");

    assertThat(exit).isEqualTo(ExitCodes.DENIED);
    assertThat(err.toString())
        .contains("no credentials in " + home().resolve(".config/pulley/credentials"))
        .contains("run `pulley login`");
  }

  @Test
  void command_credentialsDueForRenewal_renewsFirstAndPresentsTheNewCertificate() throws Exception {
    KeyPair keys = KeyPairs.generate();
    Path credentialsDir = dir.resolve("creds");
    CredentialFiles files = new CredentialFiles(credentialsDir);
    // Issued 5 minutes back-dated with 6 minutes of life: more than two thirds have passed.
    Credentials old =
        new Credentials(
            keys.getPrivate(),
            server.issue(keys.getPublic(), Duration.ofMinutes(1)),
            server.ca.certificate());
    files.save(old);

    int exit =
        run(
            "",
            Map.of("PULLEY_CREDENTIALS", credentialsDir.toString()),
            "--controller",
            server.target(),
            "whoami");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("admin alice, role admin");
    Credentials renewed = files.load();
    assertThat(renewed.certificate()).isNotEqualTo(old.certificate());
    assertThat(server.presented).containsExactly(renewed.certificate());
  }

  private Path home() {
    return dir.resolve("home");
  }

  private int run(String stdin, Map<String, String> env, String... args) {
    return PulleyMain.run(
        env,
        home(),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        args);
  }
}
