package io.pulley.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @Test
  void parse_keepsNetworksOfBothFamilies() {
    assertThat(Cidr.parse("203.0.113.0/24").toString()).isEqualTo("203.0.113.0/24");
    assertThat(Cidr.parse("203.0.113.0/24").ipv6()).isFalse();
    assertThat(Cidr.parse("2001:DB8:0::/32").toString()).isEqualTo("2001:db8::/32");
    assertThat(Cidr.parse("2001:db8::/32").ipv6()).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").prefix()).isZero();
  }

  @Test
  void parse_takesOneAddressAsItsOwnNetwork() {
    assertThat(Cidr.parse("192.0.2.7").toString()).isEqualTo("192.0.2.7/32");
    assertThat(Cidr.parse("::1").toString()).isEqualTo("::1/128");
  }

  @Test
  void parse_refusesHostBitsAndNamesTheNetwork() {
    assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8"))
        .hasMessageContaining("bits set past its /8 prefix")
        .hasMessageContaining("10.0.0.0/8");
    assertThatThrownBy(() -> Cidr.parse("2001:db8::1/32")).hasMessageContaining("2001:db8::/32");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "example.com",
        "localhost",
        "10.0.0.0/33",
        "::/129",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "10.0.0.0/1a",
        "10.0.0.0/0008",
        "fe80::1%eth0",
        "10.0.0.0/8; flush ruleset",
        "1.2.3"
      })
  void parse_refusesWhatIsNotALiteralNetwork(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_refusesOverlongText() {
    assertThatThrownBy(() -> Cidr.parse("1".repeat(Cidr.MAX_LENGTH + 1)))
        .hasMessageContaining("at most " + Cidr.MAX_LENGTH);
  }
}
