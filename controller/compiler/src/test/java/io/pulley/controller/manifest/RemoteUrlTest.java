package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteUrlTest {

  @Test
  void isSupported_acceptsTheFourSchemesAndScpLike() {
    assertThat(RemoteUrl.isSupported("file:///srv/x.git")).isTrue();
    assertThat(RemoteUrl.isSupported("https://example.com/x.git")).isTrue();
    assertThat(RemoteUrl.isSupported("http://example.com/x.git")).isTrue();
    assertThat(RemoteUrl.isSupported("ssh://git@example.com/x.git")).isTrue();
    assertThat(RemoteUrl.isSupported("git@example.com:team/x.git")).isTrue();
  }

  @Test
  void isSupported_refusesOtherSchemesAndPlainPaths() {
    assertThat(RemoteUrl.isSupported("ftp://example.com/x.git")).isFalse();
    assertThat(RemoteUrl.isSupported("/srv/x.git")).isFalse();
    assertThat(RemoteUrl.isSupported("ext::sh -c touch% /tmp/pwned")).isFalse();
  }

  @Test
  void redact_removesUserinfoWhereverItAppears() {
    assertThat(RemoteUrl.redact("cannot reach https://bob:hunter2@example.com/x.git: refused"))
        .isEqualTo("cannot reach https://example.com/x.git: refused");
    assertThat(RemoteUrl.redact("file:///alice:s3cret@/tmp/x.git: not found"))
        .doesNotContain("alice")
        .doesNotContain("s3cret")
        .endsWith("/tmp/x.git: not found");
    assertThat(RemoteUrl.redact("https://token@example.com/x.git"))
        .isEqualTo("https://example.com/x.git");
  }
}
