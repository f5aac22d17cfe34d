package io.pulley.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CertificateRequestsTest {
  @Test
  void refusesEmptyOversizedAndGarbage() {
    assertThatThrownBy(() -> CertificateRequests.check(new byte[0]))
        .hasMessage("certificate_request is required");
    assertThatThrownBy(() -> CertificateRequests.check(new byte[CertificateRequests.MAX_BYTES + 1]))
        .hasMessageContaining("more than " + CertificateRequests.MAX_BYTES);
    assertThatThrownBy(() -> CertificateRequests.check("hello".getBytes()))
        .isInstanceOf(TrustException.class)
        .hasMessage("certificate_request is not a PKCS#10 request");
  }

  @Test
  void everyMutationOfARequestIsAcceptedIntactOrRefusedWithAReason() {
    byte[] good = CertificateRequests.create(KeyPairs.generate(), "web-1");
    Random random = new Random(15);
    for (int i = 0; i < 2000; i++) {
      byte[] mutated = Arrays.copyOf(good, good.length);
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        mutated[random.nextInt(mutated.length)] ^= (byte) (1 + random.nextInt(255));
      }
      try {
        CertificateRequests.Checked checked = CertificateRequests.check(mutated);
        // A flip the signature does not cover (such as the outer length's form) may pass, but
        // then the request still names the same key and name.
        assertThat(checked.commonName()).isEqualTo("web-1");
      } catch (TrustException refused) {
        assertThat(refused.getMessage()).startsWith("certificate_request");
      }
    }
  }

  @Test
  void refusesASmallRsaKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair weak = generator.generateKeyPair();
    byte[] request =
        new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=web-1"), weak.getPublic())
            .build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                    .build(weak.getPrivate()))
            .getEncoded();

    assertThatThrownBy(() -> CertificateRequests.check(request))
        .hasMessageContaining("2048 to 4096 bits");
  }
}
