package io.pulley.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.agent.config.AgentConfig;
import io.pulley.agent.config.ConfigException;
import io.pulley.agent.poll.Backoff;
import io.pulley.agent.poll.Sleeper;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CaPin;
import io.pulley.trust.CertificateAuthority;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import io.pulley.trust.Fingerprints;
import io.pulley.trust.Identity;
import io.pulley.trust.PemFiles;
import io.pulley.v1.lite.EnrolRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrolmentTest {
  @TempDir Path dir;
  private TlsEnrolServer server;
  private BootstrapToken token;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  /** What happens while the run waits (an admin acting). */
  private interface Action {
    void run() throws Exception;
  }

  private volatile Action onSleep = () -> {};

  @BeforeEach
  void startServer() throws Exception {
    server = new TlsEnrolServer(dir.resolve("controller"));
    token = BootstrapToken.create(server.ca.pin());
    server.accept(token.secretPart());
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  @Test
  void enrol_withToken_savesPrivateCredentialsAndSendsOnlyARequest() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("agent.token"), token.text() + "\n");
    AgentConfig config = config().tokenFile(tokenFile).label("role", "web").build();

    Optional<Credentials> credentials = Enrolment.prepare(config, settings()).run(true);

    assertThat(credentials).isPresent();
    assertThat(credentials.get().identity()).isEqualTo(Identity.host("web-1"));
    CredentialFiles files = new CredentialFiles(config.tlsDir());
    assertThat(files.exist()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.keyFile())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir())))
        .isEqualTo("rwx------");
    EnrolRequest sent = server.requests.get(0);
    assertThat(sent.getToken()).isEqualTo(token.secretPart());
    assertThat(sent.getRequestedLabelsMap()).isEqualTo(Map.of("role", "web"));
    assertThat(CertificateRequests.check(sent.getCertificateRequest().toByteArray()).commonName())
        .isEqualTo("web-1");
    byte[] scalar = ((ECPrivateKey) credentials.get().key()).getS().toByteArray();
    assertThat(HexFormat.of().formatHex(sent.toByteArray()))
        .doesNotContain(HexFormat.of().formatHex(scalar));
  }

  @Test
  void enrol_serverWithAnotherCa_isRefusedBeforeTheTokenIsSent() throws Exception {
    CaPin otherPin =
        CertificateAuthority.loadOrCreate(dir.resolve("other-ca"), Clock.systemUTC()).pin();
    BootstrapToken forOther = new BootstrapToken(otherPin, token.id(), token.secret());
    Path tokenFile = Files.writeString(dir.resolve("agent.token"), forOther.text());
    AgentConfig config = config().tokenFile(tokenFile).build();

    Optional<Credentials> credentials = Enrolment.prepare(config, settings()).run(true);

    assertThat(credentials).isEmpty();
    assertThat(server.requests).isEmpty();
    assertThat(new CredentialFiles(config.tlsDir()).exist()).isFalse();
  }

  @Test
  void enrol_pendingThenApproved_usesTheSameKeyAcrossARestart() throws Exception {
    AgentConfig config = config().caPin(server.ca.pin()).build();

    assertThat(Enrolment.prepare(config, settings()).run(true)).isEmpty();
    Path keyFile = new CredentialFiles(config.tlsDir()).keyFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    String fingerprint = fingerprintOf(0);
    server.approve(fingerprint);
    Optional<Credentials> credentials = Enrolment.prepare(config, settings()).run(true);

    assertThat(credentials).isPresent();
    assertThat(Fingerprints.of(credentials.get().certificate().getPublicKey()))
        .isEqualTo(fingerprint);
    assertThat(credentials.get().key()).isEqualTo(PemFiles.privateKey(keyFile));
    assertThat(fingerprintOf(1)).isEqualTo(fingerprint);
  }

  @Test
  void enrol_refusedToken_waitsSlowlyAndAsksAgain() throws Exception {
    BootstrapToken wrong = BootstrapToken.create(server.ca.pin());
    Path tokenFile = Files.writeString(dir.resolve("agent.token"), wrong.text());
    AgentConfig config = config().tokenFile(tokenFile).build();
    Enrolment enrolment = Enrolment.prepare(config, settings(2));

    assertThat(enrolment.run(false)).isEmpty();
    assertThat(Thread.interrupted()).isTrue(); // the run restored the flag; clear it

    assertThat(server.requests).hasSize(2);
    assertThat(waits).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(5));
  }

  @Test
  void enrol_refusedTokenReplacedInTheFile_usesTheNewOneWithoutARestart() throws Exception {
    BootstrapToken wrong = BootstrapToken.create(server.ca.pin());
    Path tokenFile = Files.writeString(dir.resolve("agent.token"), wrong.text());
    onSleep = () -> Files.writeString(tokenFile, token.text());
    AgentConfig config = config().tokenFile(tokenFile).build();

    Optional<Credentials> credentials = Enrolment.prepare(config, settings()).run(false);

    assertThat(credentials).isPresent();
    assertThat(server.requests)
        .extracting(EnrolRequest::getToken)
        .containsExactly(wrong.secretPart(), token.secretPart());
  }

  @Test
  void prepare_neitherTokenNorPin_saysHowToEnrol() {
    AgentConfig config = config().build();

    assertThatThrownBy(() -> Enrolment.prepare(config, settings()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pulley token create")
        .hasMessageContaining("ca_pin");
  }

  @Test
  void prepare_malformedToken_doesNotRepeatIt() throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("agent.token"), "pulley1:nothex:secret-text");

    assertThatThrownBy(() -> Enrolment.prepare(config().tokenFile(tokenFile).build(), settings()))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("secret-text");
  }

  @Test
  void hostKey_publicKeyOf_matchesTheGeneratedPair() {
    var keys = io.pulley.trust.KeyPairs.generate();

    assertThat(HostKey.publicKeyOf(keys.getPrivate())).isEqualTo(keys.getPublic());
  }

  private String fingerprintOf(int request) {
    return CertificateRequests.check(
            server.requests.get(request).getCertificateRequest().toByteArray())
        .fingerprint();
  }

  private AgentConfig.Builder config() {
    return AgentConfig.builder("web-1")
        .controller(server.target())
        .dataDir(dir.resolve("agent"))
        .tokenFile(dir.resolve("no-such.token"));
  }

  private Enrolment.Settings settings() {
    return settings(Integer.MAX_VALUE);
  }

  /** Records waits instead of sleeping; after {@code sleeps} of them it interrupts the run. */
  private Enrolment.Settings settings(int sleeps) {
    Sleeper sleeper =
        new Sleeper() {
          @Override
          public void sleep(Duration duration) throws InterruptedException {
            waits.add(duration);
            try {
              onSleep.run();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            if (waits.size() >= sleeps) {
              throw new InterruptedException("enough");
            }
          }

          @Override
          public void cancel() {}
        };
    return new Enrolment.Settings(
        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2), new Random(1)),
        sleeper,
        Duration.ofSeconds(30),
        Duration.ofMinutes(5));
  }
}
