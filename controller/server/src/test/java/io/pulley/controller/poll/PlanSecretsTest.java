package io.pulley.controller.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.events.Events;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RefResolution;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.plan.PlanRenderer;
import io.pulley.controller.revisions.ApplyResult;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.secrets.SecretKeeper;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.v1.AppPlan;
import io.pulley.v1.HostPlan;
import io.pulley.v1.PollRequest;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Applying a stack generates its secrets; plans carry them, admins see them redacted. */
class PlanSecretsTest {

  private static final String STACK =
      """
      application: shop
      environment: prod
      stack:
        git: {url: "https://git.example.com/shop.git", ref: main%s}
        web: {wsgi: shop.wsgi}
        site: {domains: [shop.example.com]}
        database: {}
        settings: {secrets: [session.secret]}
      """;

  private final InMemoryStore store = new InMemoryStore();
  private RevisionLog revisions;
  private HostPlans plans;

  @BeforeEach
  void setUp() {
    HostRegistry hosts = new HostRegistry(store, Clock.systemUTC());
    revisions =
        new RevisionLog(
            store,
            new ManifestCompiler((url, ref) -> RefResolution.resolved("a".repeat(40))),
            new SecretKeeper(store, new Random(7), Clock.systemUTC()),
            Clock.systemUTC(),
            ControllerMetrics.discarding(),
            Events.NONE);
    plans = new HostPlans(hosts, revisions);
    hosts.recordPoll(PollRequest.newBuilder().setHostId("web-1").build());
  }

  @Test
  void apply_generatesTheSecrets_andThePlanCarriesThem_butNeverTheRevision() {
    ApplyResult result = revisions.apply(STACK.formatted(""), "shop.yaml", false, "test");

    assertThat(result).isInstanceOf(ApplyResult.Accepted.class);
    var stored = store.secrets(new AppEnv("shop", "prod"));
    assertThat(stored).containsOnlyKeys("database-password", "session.secret");
    AppPlan app = plans.planFor("web-1").getApps(0);
    assertThat(app.getSecretsMap()).isEqualTo(stored);
    String revisionText = revisions.current().get(0).toString();
    stored.values().forEach(value -> assertThat(revisionText).doesNotContain(value));
  }

  @Test
  void dryRun_generatesNothing() {
    revisions.apply(STACK.formatted(""), "shop.yaml", true, "test");

    assertThat(store.secrets(new AppEnv("shop", "prod"))).isEmpty();
  }

  @Test
  void redacted_replacesEveryValue_butKeepsNamesAndPlanId() {
    revisions.apply(STACK.formatted(""), "shop.yaml", false, "test");
    HostPlan plan = plans.planFor("web-1");

    HostPlan shown = PlanRenderer.redacted(plan);

    assertThat(shown.getPlanId()).isEqualTo(plan.getPlanId());
    assertThat(shown.getApps(0).getSecretsMap())
        .containsOnlyKeys("database-password", "session.secret")
        .allSatisfy((name, value) -> assertThat(value).isEqualTo("(redacted)"));
  }

  @Test
  void apply_missingDeployKey_isRejectedUntilItIsSet() {
    String yaml =
        STACK
            .replace("https://git.example.com", "ssh://git@git.example.com")
            .formatted(", deploy_key_secret: deploy-key");

    ApplyResult rejected = revisions.apply(yaml, "shop.yaml", false, "test");

    assertThat(rejected).isInstanceOf(ApplyResult.Rejected.class);
    assertThat(((ApplyResult.Rejected) rejected).errors())
        .singleElement()
        .satisfies(e -> assertThat(e.getField()).isEqualTo("stack.git.deploy_key_secret"));
    assertThat(store.secrets(new AppEnv("shop", "prod"))).isEmpty();

    store.putSecret(new AppEnv("shop", "prod"), "deploy-key", "KEY");
    assertThat(revisions.apply(yaml, "shop.yaml", false, "test"))
        .isInstanceOf(ApplyResult.Accepted.class);
    assertThat(plans.planFor("web-1").getApps(0).getSecretsMap())
        .containsEntry("deploy-key", "KEY");
  }

  @Test
  void applyAgain_keepsTheSecretsAndThePlanId() {
    revisions.apply(STACK.formatted(""), "shop.yaml", false, "test");
    var first = store.secrets(new AppEnv("shop", "prod"));
    String before = plans.planFor("web-1").getPlanId();

    revisions.apply(STACK.formatted(""), "shop.yaml", false, "test");

    assertThat(store.secrets(new AppEnv("shop", "prod"))).isEqualTo(first);
    assertThat(plans.planFor("web-1").getPlanId()).isEqualTo(before);
  }
}
