package io.pulley.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void isMadeOnceWithAPrivateKeyAndLoadedAfter(@TempDir Path dir) throws Exception {
    CertificateAuthority made = CertificateAuthority.loadOrCreate(dir.resolve("ca"), clock);
    CertificateAuthority loaded = CertificateAuthority.loadOrCreate(dir.resolve("ca"), clock);

    assertThat(loaded.pin()).isEqualTo(made.pin());
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca"))))
        .isEqualTo("rwx------");
    assertThat(made.certificate().getBasicConstraints()).isZero();
  }

  @Test
  void certifiesAHostsRequestForItsIdentityAndLifetime(@TempDir Path dir) throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, clock);
    KeyPair keys = KeyPairs.generate();
    CertificateRequests.Checked request =
        CertificateRequests.check(CertificateRequests.create(keys, "web-1"));

    X509Certificate certificate =
        ca.issueClient(
            request.publicKey(), Identity.host(request.commonName()), Duration.ofHours(1));

    certificate.verify(ca.certificate().getPublicKey());
    assertThat(Identity.of(certificate)).isEqualTo(Identity.host("web-1"));
    assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(clock.instant().plusSeconds(3600));
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(request.fingerprint()).isEqualTo(Fingerprints.of(keys.getPublic()));
  }

  @Test
  void serverCertificateNamesEveryAddressAndIsKeptUntilNamesChange(@TempDir Path dir)
      throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, clock);
    List<String> names = List.of("controller.example", "127.0.0.1", "::1");

    ServerKeys first = ServerKeys.loadOrIssue(dir, ca, names, clock);
    String firstPem = Files.readString(first.certificateChain());
    List<X509Certificate> chain = PemFiles.certificates(first.certificateChain());
    String again =
        Files.readString(ServerKeys.loadOrIssue(dir, ca, names, clock).certificateChain());
    ServerKeys renamed = ServerKeys.loadOrIssue(dir, ca, List.of("other.example"), clock);

    assertThat(again).isEqualTo(firstPem);
    assertThat(Files.readString(renamed.certificateChain())).isNotEqualTo(firstPem);
    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(ca.certificate());
  }

  @Test
  void pinnedTrustRefusesAServerOfAnotherCa(@TempDir Path dir) throws Exception {
    CertificateAuthority ours = CertificateAuthority.loadOrCreate(dir.resolve("ours"), clock);
    CertificateAuthority theirs = CertificateAuthority.loadOrCreate(dir.resolve("theirs"), clock);
    X509Certificate server =
        theirs.issueServer(
            KeyPairs.generate().getPublic(), List.of("x.example"), Duration.ofDays(1));

    PinnedTrustManager pinned = new PinnedTrustManager(ours.pin());

    assertThatThrownBy(() -> pinned.pinned(new X509Certificate[] {server, theirs.certificate()}))
        .hasMessageContaining("does not chain to the CA the token pins");
    assertThat(pinned.pinned(new X509Certificate[] {server, ours.certificate()}))
        .isEqualTo(ours.certificate());
  }
}
