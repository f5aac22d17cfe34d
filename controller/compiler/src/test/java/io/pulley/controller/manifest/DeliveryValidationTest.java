package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `track` and `rollout` are checked at apply time, each mistake with its field and line. */
class DeliveryValidationTest {
  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static final String STACK =
      """
      stack:
        git: {url: "https://git.example.com/shop.git", ref: v1.0.0}
        web: {wsgi: shop.wsgi}
        site: {domains: [shop.example.com]}
        commands:
          - {name: migrate, argv: [alembic, upgrade, head], once_per_environment: true}
      """;

  @Test
  void aGoodPolicyAndRule_compile_andTheMigrationIsMarkedOncePerEnvironment() {
    CompileResult result =
        compile(
            """
            track: {tags: "v*", prereleases: true, interval_seconds: 30, webhook_secret: hook}
            rollout: {canary: 1, batch: "25%", bake_seconds: 120, offline_hosts: block}
            """
                + STACK);

    assertThat(result.errors()).isEmpty();
    assertThat(result.manifest().orElseThrow().getRollout().getOfflineHosts())
        .isEqualTo(io.pulley.v1.OfflineHosts.OFFLINE_HOSTS_BLOCK);
    assertThat(result.manifest().orElseThrow().getResourcesList())
        .filteredOn(r -> r.getId().equals("command:migrate"))
        .extracting(Resource::getCommand)
        .singleElement()
        .matches(c -> c.getOncePerEnvironment());
  }

  @Test
  void everyMistake_isReportedWithItsField() {
    List<ManifestError> errors =
        compile(
                """
                track: {tags: "v*", branch: main, interval_seconds: 1, webhook_secret: "no/slash"}
                rollout: {canary: -1, batch: "half", bake_seconds: -5, host_timeout_seconds: 99999999}
                """
                    + STACK)
            .errors();

    assertThat(errors)
        .extracting(ManifestError::getField)
        .contains(
            "track.branch",
            "track.interval_seconds",
            "track.webhook_secret",
            "rollout.canary",
            "rollout.batch",
            "rollout.bake_seconds",
            "rollout.host_timeout_seconds");
    assertThat(reason(errors, "track.branch"))
        .isEqualTo("give either track.tags or track.branch, not both");
    assertThat(reason(errors, "rollout.batch"))
        .startsWith("batch \"half\" is neither a count of hosts (\"2\") nor a share of them");
    assertThat(errors).allMatch(e -> e.getLine() > 0);
  }

  @Test
  void trackingNeedsTheStacksGitRemote() {
    List<ManifestError> errors =
        compiler
            .compile(
                """
                application: shop
                environment: production
                track: {tags: "v*"}
                resources:
                  - directory: {path: /srv/shop}
                """,
                "shop.yaml")
            .errors();
    assertThat(reason(errors, "track"))
        .isEqualTo(
            "tracking follows the stack's Git remote, and this manifest has no stack.git; add"
                + " stack.git.url, or remove track");
  }

  @Test
  void aBranchMustBeAValidGitBranchName() {
    List<ManifestError> errors = compile("track: {branch: \"main..x\"}\n" + STACK).errors();
    assertThat(reason(errors, "track.branch"))
        .isEqualTo("\"main..x\" is not a valid Git branch name");
  }

  private CompileResult compile(String body) {
    return compiler.compile("application: shop\nenvironment: production\n" + body, "shop.yaml");
  }

  private static String reason(List<ManifestError> errors, String field) {
    return errors.stream()
        .filter(e -> e.getField().equals(field))
        .findFirst()
        .orElseThrow()
        .getReason();
  }
}
