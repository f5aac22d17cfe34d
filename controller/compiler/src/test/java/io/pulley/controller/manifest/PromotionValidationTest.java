package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `promote` is checked at apply time, each mistake with its field, its reason and its line. */
class PromotionValidationTest {
  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static final String STACK =
      """
      stack:
        git: {url: "https://git.example.com/shop.git", ref: v1.0.0}
        web: {wsgi: shop.wsgi}
        site: {domains: [shop.example.com]}
      """;

  @Test
  void aGoodRule_compiles_andKeepsItsValues() {
    CompileResult result = compile("promote: {from: staging, healthy_seconds: 600}\n" + STACK);

    assertThat(result.errors()).isEmpty();
    assertThat(result.manifest().orElseThrow().getPromote().getFrom()).isEqualTo("staging");
    assertThat(result.manifest().orElseThrow().getPromote().getHealthySeconds()).isEqualTo(600);
  }

  @Test
  void everyMistake_isReportedWithItsFieldAndLine() {
    List<ManifestError> errors =
        compile(
                """
                promote: {from: "Staging!", healthy_seconds: 1}
                track: {branch: main}
                """
                    + STACK)
            .errors();

    assertThat(reason(errors, "promote.from"))
        .startsWith("environment \"Staging!\" is not a valid");
    assertThat(reason(errors, "promote.healthy_seconds"))
        .isEqualTo("healthy time is 1 s; use 5 to 604800 (0 means 1800)");
    assertThat(reason(errors, "track"))
        .isEqualTo(
            "an environment gets its releases either from its Git remote (track) or from another"
                + " environment (promote); remove one");
    assertThat(errors).allMatch(e -> e.getLine() > 0);
  }

  @Test
  void anEnvironmentIsNotPromotedFromItself_norFromNowhere() {
    assertThat(reason(compile("promote: {from: production}\n" + STACK).errors(), "promote.from"))
        .startsWith("an environment cannot be promoted from itself");
    assertThat(reason(compile("promote: {healthy_seconds: 60}\n" + STACK).errors(), "promote.from"))
        .isEqualTo("name the environment to promote from, such as \"staging\"");
  }

  @Test
  void promotionNeedsTheStacksGitRemote() {
    List<ManifestError> errors =
        compile("promote: {from: staging}\nresources:\n  - directory: {path: /srv/shop}\n")
            .errors();
    assertThat(reason(errors, "promote")).contains("this manifest has no stack.git");
  }

  private CompileResult compile(String body) {
    return compiler.compile("application: shop\nenvironment: production\n" + body, "shop.yaml");
  }

  private static String reason(List<ManifestError> errors, String field) {
    return errors.stream()
        .filter(e -> e.getField().equals(field))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no error on " + field + " in " + errors))
        .getReason();
  }
}
