package io.pulley.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real TLS handshakes on loopback against the fleet CA's trust manager: the names a server's
 * certificate must carry, with the name matched by the JDK's match beside the chain check (as in
 * the agent, whose jar opens it) and by the JDK's trust manager alone (the CLI and the controller).
 * Both must take and refuse the same certificates.
 */
class CaTrustManagerTest {
  @TempDir Path dir;
  private KeyPair serverKey;

  @Test
  void theJdksMatchIsOpenToTheseTests_asToTheAgentsJar() {
    // Surefire passes --add-exports as the agent's manifest does; without it the tests below
    // would test the JDK's trust manager twice.
    assertThat(JdkHostNameMatch.available()).isTrue();
  }

  @ParameterizedTest(name = "names matched here: {0}")
  @ValueSource(booleans = {true, false})
  void aServerCertificateForTheDialledName_isTrusted(boolean matchHere) throws Exception {
    CertificateAuthority ca = ca();
    X509Certificate certificate = serverCertificate(ca, "controller.example.test", "192.0.2.7");

    assertThat(handshake(ca, certificate, "controller.example.test", matchHere)).isTrue();
    assertThat(handshake(ca, certificate, "CONTROLLER.example.test", matchHere)).isTrue();
    assertThat(handshake(ca, certificate, "192.0.2.7", matchHere)).isTrue();
  }

  @ParameterizedTest(name = "names matched here: {0}")
  @ValueSource(booleans = {true, false})
  void aServerCertificateForAnotherName_isRefused(boolean matchHere) throws Exception {
    CertificateAuthority ca = ca();
    X509Certificate certificate = serverCertificate(ca, "controller.example.test", "192.0.2.7");

    assertRefused(ca, certificate, "other.example.test", matchHere);
    assertRefused(ca, certificate, "controller.example.test.evil.test", matchHere);
    assertRefused(ca, certificate, "192.0.2.8", matchHere);
  }

  @ParameterizedTest(name = "names matched here: {0}")
  @ValueSource(booleans = {true, false})
  void aWildcardCoversOneLabelOnly(boolean matchHere) throws Exception {
    CertificateAuthority ca = ca();
    X509Certificate certificate = serverCertificate(ca, "*.fleet.example.test");

    assertThat(handshake(ca, certificate, "ctl.fleet.example.test", matchHere)).isTrue();
    assertRefused(ca, certificate, "a.ctl.fleet.example.test", matchHere);
    assertRefused(ca, certificate, "fleet.example.test", matchHere);
  }

  @ParameterizedTest(name = "names matched here: {0}")
  @ValueSource(booleans = {true, false})
  void aCertificateFromAnotherCa_isRefusedWhateverItsName(boolean matchHere) throws Exception {
    CertificateAuthority ours = ca();
    CertificateAuthority theirs = CertificateAuthority.loadOrCreate(dir.resolve("other"), clock());
    X509Certificate certificate = serverCertificate(theirs, "controller.example.test");

    assertRefused(ours, certificate, "controller.example.test", matchHere);
  }

  private CertificateAuthority ca() throws IOException {
    return CertificateAuthority.loadOrCreate(dir.resolve("ca"), clock());
  }

  private static Clock clock() {
    return Clock.systemUTC();
  }

  private X509Certificate serverCertificate(CertificateAuthority ca, String... names) {
    serverKey = KeyPairs.generate();
    return ca.issueServer(serverKey.getPublic(), List.of(names), Duration.ofDays(1));
  }

  private void assertRefused(
      CertificateAuthority ca, X509Certificate certificate, String name, boolean matchHere) {
    assertThatThrownBy(() -> handshake(ca, certificate, name, matchHere))
        .as("a handshake with a server dialled as %s", name)
        .isInstanceOf(SSLHandshakeException.class);
  }

  /**
   * One handshake: a server on loopback offering {@code certificate}, a client that dialled it as
   * {@code name} (the TLS socket is layered over a loopback connection, so no name needs to
   * resolve) and checks names as gRPC's client does.
   */
  private boolean handshake(
      CertificateAuthority ca, X509Certificate certificate, String name, boolean matchHere)
      throws Exception {
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(
        new KeyManager[] {KeyManagers.of(serverKey.getPrivate(), List.of(certificate))},
        null,
        null);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, new TrustManager[] {TrustManagers.forCa(ca.certificate(), matchHere)}, null);
    try (SSLServerSocket listener =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> accepted =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket connection = (SSLSocket) listener.accept()) {
                  connection.startHandshake();
                } catch (IOException e) {
                  // the client refused the certificate: its side of the story is the test's
                }
              });
      try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
          SSLSocket tls =
              (SSLSocket)
                  client.getSocketFactory().createSocket(plain, name, plain.getPort(), true)) {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
      } finally {
        accepted.join();
      }
    }
    return true;
  }
}
