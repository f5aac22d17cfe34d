package io.pulley.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Pem writes reads back through the JDK alone, and every other file still reads through
 * BouncyCastle as before.
 */
class PemFilesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"EC", "RSA"})
  void aKeyItWrote_readsThroughTheJdk(String algorithm) throws Exception {
    PrivateKey key = algorithm.equals("EC") ? KeyPairs.generate().getPrivate() : rsaKey();

    assertThat(PemFiles.jdkPkcs8PrivateKey(Pem.of(key))).contains(key);
    assertThat(PemFiles.privateKey(write("key.pem", Pem.of(key)))).isEqualTo(key);
  }

  @Test
  void aTraditionalRsaKey_isLeftToBouncyCastle() throws Exception {
    PrivateKey key = rsaKey();
    StringWriter traditional = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(traditional)) {
      writer.writeObject(key);
    }
    assertThat(traditional.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    assertThat(PemFiles.jdkPkcs8PrivateKey(traditional.toString())).isEmpty();
    assertThat(PemFiles.privateKey(write("key.pem", traditional.toString())).getEncoded())
        .isEqualTo(key.getEncoded());
  }

  @Test
  void twoKeysOrABrokenBlock_areNotReadByTheJdk() throws Exception {
    String key = Pem.of(KeyPairs.generate().getPrivate());

    assertThat(PemFiles.jdkPkcs8PrivateKey(key + key)).isEmpty();
    assertThat(PemFiles.jdkPkcs8PrivateKey(key.replace("-----END PRIVATE KEY-----", ""))).isEmpty();
    assertThat(PemFiles.jdkPkcs8PrivateKey(key.replaceFirst("\n.", "\n*"))).isEmpty();
    assertThatThrownBy(() -> PemFiles.privateKey(write("none.pem", "no key here\n")))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining("holds no unencrypted PEM private key");
  }

  @Test
  void aChainItWrote_readsThroughTheJdkInOrder() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
    X509Certificate host =
        ca.issueClient(
            KeyPairs.generate().getPublic(), Identity.host("web-1"), Duration.ofHours(1));
    String chain = Pem.of(host, ca.certificate());

    assertThat(PemFiles.jdkCertificates(chain)).containsExactly(host, ca.certificate());
    assertThat(PemFiles.certificates(write("chain.pem", chain)))
        .containsExactly(host, ca.certificate());
  }

  @Test
  void aCertificateBesideItsKey_stillReadsAsBefore() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.loadOrCreate(dir.resolve("ca"), Clock.systemUTC());
    String mixed = Pem.of(ca.certificate()) + Pem.of(KeyPairs.generate().getPrivate());

    assertThat(PemFiles.certificates(write("mixed.pem", mixed))).containsExactly(ca.certificate());
    assertThatThrownBy(() -> PemFiles.certificates(write("none.pem", "")))
        .isInstanceOf(TrustException.class)
        .hasMessageContaining("holds no PEM certificate");
  }

  private static PrivateKey rsaKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair().getPrivate();
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }
}
