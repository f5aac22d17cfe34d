package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import org.junit.jupiter.api.Test;

class Fail2banCompileTest {

  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private CompileResult compile(String fail2ban) {
    return compiler.compile(
        """
        application: shop
        environment: staging
        stack:
          git: {url: "https://git.example.com/shop.git", ref: main}
          web: {wsgi: shop.wsgi}
          site: {domains: [shop.example.com], htpasswd: ["tester:{SHA}x"]}
          fail2ban: %s
        """
            .formatted(fail2ban),
        "shop.yaml");
  }

  @Test
  void fail2ban_isRenderedWithItsSettings() {
    CompileResult result =
        compile("{max_retry: 3, ban_time_seconds: 3600, ignore_from: [192.0.2.0/24]}");

    assertThat(result.errors()).isEmpty();
    assertThat(result.manifest().orElseThrow().getResourcesList())
        .filteredOn(r -> r.getId().equals("file:fail2ban"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getFile().getContent())
                    .contains("maxretry = 3", "bantime = 3600", "192.0.2.0/24"));
  }

  @Test
  void badFail2ban_namesEachField() {
    CompileResult result =
        compile(
            "{max_retry: -1, find_time_seconds: 9999999, ban_time_seconds: -5,"
                + " ignore_from: [office.example.com]}");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.fail2ban.max_retry",
            "stack.fail2ban.find_time_seconds",
            "stack.fail2ban.ban_time_seconds",
            "stack.fail2ban.ignore_from[0]");
  }
}
