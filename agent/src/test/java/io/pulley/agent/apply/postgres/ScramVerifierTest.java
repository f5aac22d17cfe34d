package io.pulley.agent.apply.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Expected verifiers were computed independently with Python's hashlib.pbkdf2_hmac and hmac. */
class ScramVerifierTest {
  private static final byte[] SALT_0_TO_15 = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

  @Test
  void derive_knownPasswordAndSalt_givesPostgresFormat() {
    assertThat(ScramVerifier.derive("correct horse battery staple", SALT_0_TO_15, 4096).text())
        .isEqualTo(
            "SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw=="
                + "$ONYbSJBXtKl6bP6PVqw8pm9e7EiacprLnoUQPFS80Hw="
                + ":IPOtHuGJ2HifEQg74W2XXqqCrCyQG55GbPRHa6g6n9w=");
  }

  @Test
  void derive_nonAsciiPassword_hashesItsUtf8Bytes() {
    byte[] salt = new byte[16];
    for (int i = 0; i < 16; i++) {
      salt[i] = (byte) (0xff - i);
    }
    assertThat(ScramVerifier.derive("pässwörd-ünïcode", salt, 4096).text())
        .isEqualTo(
            "SCRAM-SHA-256$4096://79/Pv6+fj39vX08/Lx8A=="
                + "$Qj1rFSaAret0yFqBrfC2KUirkAJXBLTEY0MjPeAlx60="
                + ":XTDiksuLZB/q05v3FKvTKydM3oTlVr709zdWAgDGPJE=");
  }

  @Test
  void matches_storedVerifierWithOtherIterations_usesItsOwnSaltAndCount() {
    String stored =
        "SCRAM-SHA-256$10000:MDEyMzQ1Njc4OWFiY2RlZg=="
            + "$XRD9mLqMfs4qN9UuDzbSKUdQ7vACw47Ctl8npaY6TsE="
            + ":icfTqIpBghi8osav7Z4AQGFNSzFNNzkk2L5uV8SHkmA=";

    ScramVerifier verifier = ScramVerifier.parse(stored).orElseThrow();

    assertThat(verifier.matches("x")).isTrue();
    assertThat(verifier.matches("y")).isFalse();
    assertThat(verifier.text()).isEqualTo(stored);
  }

  @Test
  void generate_usesASixteenByteSaltFromTheRandomSource() {
    ScramVerifier a = ScramVerifier.generate("secret", new Random(7));
    ScramVerifier b = ScramVerifier.generate("secret", new Random(7));
    ScramVerifier c = ScramVerifier.generate("secret", new Random(8));

    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    String salt = a.text().split("[:$]")[2];
    assertThat(java.util.Base64.getDecoder().decode(salt)).hasSize(16);
    assertThat(a.text()).startsWith("SCRAM-SHA-256$4096:");
    assertThat(c.matches("secret")).isTrue();
  }

  @Test
  void parse_md5OrGarbage_isEmpty() {
    assertThat(ScramVerifier.parse("md5" + "0".repeat(32))).isEmpty();
    assertThat(ScramVerifier.parse("")).isEmpty();
    assertThat(ScramVerifier.parse("SCRAM-SHA-256$4096:!!$a:b")).isEmpty();
  }

  @Test
  void toString_showsNoKeys() {
    ScramVerifier v =
        ScramVerifier.derive("pw", "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 4096);

    assertThat(v.toString()).isEqualTo("ScramVerifier[iterations=4096]");
  }

  @Test
  void derive_zeroIterations_failsWithTheValue() {
    assertThatThrownBy(() -> ScramVerifier.derive("pw", SALT_0_TO_15, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
  }
}
