package io.pulley.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BootstrapTokenTest {
  private final CaPin pin = new CaPin("ab".repeat(32));

  @Test
  void readsBackWhatItWritesAndNeverPrintsItsSecret() {
    BootstrapToken token = BootstrapToken.create(pin);

    BootstrapToken read = BootstrapToken.parse(token.text() + "\n");

    assertThat(read).isEqualTo(token);
    assertThat(token.text()).startsWith("pulley1:" + pin.hex() + ":" + token.id() + ".");
    assertThat(token.toString()).doesNotContain(token.secret());
    assertThat(BootstrapToken.SecretPart.parse(token.secretPart()).secret())
        .isEqualTo(token.secret());
  }

  @Test
  void storesOnlyAHashAndMatchesIt() {
    BootstrapToken token = BootstrapToken.create(pin);
    String hash = BootstrapToken.hash(token.secret());

    assertThat(hash).doesNotContain(token.secret());
    assertThat(BootstrapToken.secretMatches(token.secret(), hash)).isTrue();
    assertThat(BootstrapToken.secretMatches(BootstrapToken.create(pin).secret(), hash)).isFalse();
  }

  @Test
  void refusesMalformedTokensWithoutRepeatingThem() {
    String secretish = "pulley1:" + pin.hex() + ":abcdefgh.tooshort";
    assertThatThrownBy(() -> BootstrapToken.parse(secretish))
        .hasMessage("malformed token: expected ID.SECRET");
    assertThatThrownBy(() -> BootstrapToken.parse("K10abc::user:pass"))
        .hasMessageContaining("not a Pulley token");
    assertThatThrownBy(() -> BootstrapToken.parse("pulley1:XYZ:abcdefgh.x"))
        .hasMessageContaining("CA pin");
  }

  @Test
  void identitiesAreHostNamesOnly() {
    assertThat(Identity.fromUri(Identity.host("web-1").uri().toString()))
        .isEqualTo(Identity.host("web-1"));
    assertThatThrownBy(() -> Identity.host("../etc")).isInstanceOf(TrustException.class);
    assertThatThrownBy(() -> Identity.admin("a\u001b[2J")).isInstanceOf(TrustException.class);
    assertThat(Identity.problem("x".repeat(254))).contains("at most 253");
  }
}
