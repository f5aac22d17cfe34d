package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.testing.SshGitServer;
import io.pulley.v1.ManifestError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a remote is reached is checked before anything is asked of it. */
class StackGitChecksTest {

  private final FixedRefResolver resolver = new FixedRefResolver();
  private final ManifestCompiler compiler = new ManifestCompiler(resolver);

  private static String stack(String git) {
    return """
        application: shop
        environment: production
        stack:
          git: %s
          web: {wsgi: shop.wsgi}
          site: {domains: [shop.example.com]}
        """
        .formatted(git);
  }

  private List<ManifestError> errors(String git) {
    CompileResult result = compiler.compile(stack(git), "shop.yaml");
    assertThat(result.ok()).as("expected errors").isFalse();
    assertThat(resolver.asked).as("nothing is asked of a remote in a refused manifest").isEmpty();
    return result.errors();
  }

  @Test
  void aTokenInTheUrl_isRefusedPointingAtTokenSecret_withoutRepeatingIt() {
    List<ManifestError> errors =
        errors("{url: \"https://bob:ghp_s3cret@git.example.com/shop.git\", ref: main}");

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.url");
              assertThat(e.getReason()).contains("token_secret").doesNotContain("ghp_s3cret");
            });
  }

  @Test
  void aTokenAloneInTheUrl_isRefusedToo() {
    assertThat(errors("{url: \"https://ghp_s3cret@git.example.com/shop.git\", ref: main}"))
        .extracting(ManifestError::getField)
        .containsExactly("stack.git.url");
  }

  @Test
  void aPasswordInAnSshUrl_isRefused_butAUserIsFine() {
    assertThat(errors("{url: \"ssh://git:pw@git.example.com/shop.git\", ref: main}"))
        .extracting(ManifestError::getField)
        .containsExactly("stack.git.url");
    CompileResult fine =
        compiler.compile(stack("{url: \"ssh://git@git.example.com/shop.git\", ref: main}"), "a");
    assertThat(fine.errors()).isEmpty();
  }

  @Test
  void aTokenSecretOnAnSshOrHttpUrl_isRefused() {
    assertThat(errors("{url: \"ssh://git@git.example.com/shop.git\", ref: main, token_secret: t}"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.token_secret");
              assertThat(e.getReason()).contains("deploy_key_secret");
            });
    assertThat(errors("{url: \"http://git.example.com/shop.git\", ref: main, token_secret: t}"))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("https://"));
  }

  @Test
  void aDeployKeyOnAnHttpsUrl_isRefusedPointingAtTokenSecret() {
    assertThat(
            errors("{url: \"https://git.example.com/shop.git\", ref: main, deploy_key_secret: k}"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.deploy_key_secret");
              assertThat(e.getReason()).contains("token_secret");
            });
  }

  @Test
  void aUsernameWithoutAToken_orWithAColon_isRefused() {
    assertThat(errors("{url: \"https://git.example.com/shop.git\", ref: main, username: bob}"))
        .extracting(ManifestError::getField)
        .containsExactly("stack.git.username");
    assertThat(
            errors(
                "{url: \"https://git.example.com/a.git\", ref: main, token_secret: t,"
                    + " username: \"a:b\"}"))
        .extracting(ManifestError::getField)
        .containsExactly("stack.git.username");
  }

  @Test
  void aHostKeyThatIsNoKeyLine_orOnHttps_isRefused() {
    assertThat(
            errors(
                "{url: \"ssh://git@git.example.com/a.git\", ref: main, host_key: \"SHA256:abc\"}"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.git.host_key");
              assertThat(e.getReason()).contains("ssh-keyscan");
            });
    String line = SshGitServer.publicKeyLine(SshGitServer.newKey().getPublic());
    assertThat(
            errors(
                "{url: \"https://git.example.com/a.git\", ref: main, host_key: \"%s\"}"
                    .formatted(line)))
        .extracting(ManifestError::getField)
        .containsExactly("stack.git.host_key");
  }

  @Test
  void aBrokenKeyOfAKnownType_isRefused() {
    assertThat(
            errors(
                "{url: \"ssh://git@h/a.git\", ref: main, host_key: \"ssh-ed25519 AAAAnotbase64!\"}"))
        .extracting(ManifestError::getField)
        .containsExactly("stack.git.host_key");
  }

  @Test
  void aHostKeyFingerprint_isTheControllers() {
    assertThat(
            errors("{url: \"ssh://git@h/a.git\", ref: main, host_key_fingerprint: \"SHA256:x\"}"))
        .extracting(ManifestError::getField)
        .containsExactly("stack.git.host_key_fingerprint");
  }

  @Test
  void theSameRules_holdForAGitReleaseResource() {
    String yaml =
        """
        application: shop
        environment: production
        resources:
          - git_release: {root: /srv/a, url: "https://u:p@h/a.git", ref: main}
          - git_release: {root: /srv/b, url: "https://h/b.git", ref: main, deploy_key_secret: k}
        """;

    CompileResult result = compiler.compile(yaml, "a.yaml");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactly(
            "resources[0].git_release.url", "resources[1].git_release.deploy_key_secret");
  }
}
