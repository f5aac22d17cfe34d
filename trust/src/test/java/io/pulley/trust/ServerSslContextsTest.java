package io.pulley.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listener's TLS from PEM files: EC and RSA keys, and a key that is not the certificate's. */
class ServerSslContextsTest {
  @TempDir Path dir;

  @Test
  void theControllersOwnEcCertificateAndKey_makeAContext() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
    ServerKeys keys = ServerKeys.loadOrIssue(dir, ca, List.of("localhost"), Clock.systemUTC());

    SSLContext context = ServerSslContexts.fromPem(keys.certificateChain(), keys.privateKey());

    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    assertThat(engine.getSupportedProtocols()).contains("TLSv1.3", "TLSv1.2");
  }

  @Test
  void anRsaCertificateWithItsIntermediate_makesAContext() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair rsa = generator.generateKeyPair();
    X509Certificate certificate =
        ca.issueServer(rsa.getPublic(), List.of("hooks.example.test"), Duration.ofDays(90));
    Path chain = dir.resolve("fullchain.pem");
    Path key = dir.resolve("privkey.pem");
    Files.writeString(chain, Pem.of(certificate, ca.certificate()));
    Files.writeString(key, Pem.of(rsa.getPrivate()));

    assertThat(ServerSslContexts.fromPem(chain, key)).isNotNull();
  }

  @Test
  void aKeyThatIsNotTheCertificates_isRefused_namingTheFilesNotTheKey() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
    ServerKeys keys = ServerKeys.loadOrIssue(dir, ca, List.of("localhost"), Clock.systemUTC());
    Path otherKey = dir.resolve("other.key");
    Files.writeString(otherKey, Pem.of(KeyPairs.generate().getPrivate()));

    assertThatThrownBy(() -> ServerSslContexts.fromPem(keys.certificateChain(), otherKey))
        .isInstanceOf(TrustException.class)
        .hasMessage(otherKey + " is not the key of the certificate in " + keys.certificateChain());
  }

  @Test
  void aFileWithoutACertificate_isRefused() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Clock.systemUTC());
    ServerKeys keys = ServerKeys.loadOrIssue(dir, ca, List.of("localhost"), Clock.systemUTC());

    assertThatThrownBy(() -> ServerSslContexts.fromPem(keys.privateKey(), keys.privateKey()))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining("holds no PEM certificate");
  }
}
