package io.pulley.controller.revisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.events.Events;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RefResolution;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.v1.HostSelector;
import io.pulley.v1.ManifestError;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two stacks that could land on one host are refused at apply when they would share a database, a
 * Redis database, a root or a site, and nothing is stored.
 */
class StackCollisionsTest {
  private RevisionLog revisions;

  @BeforeEach
  void setUp() {
    revisions =
        new RevisionLog(
            new InMemoryStore(),
            new ManifestCompiler((url, ref) -> RefResolution.resolved("a".repeat(40))),
            Clock.systemUTC(),
            ControllerMetrics.discarding(),
            Events.NONE);
  }

  private static String stack(String app, String env, String hosts, String more) {
    return """
        application: %s
        environment: %s
        hosts: %s
        stack:
          git: {url: "https://git.example.com/%s.git", ref: main}
          web: {wsgi: %s.wsgi}
          site: {domains: [%s-%s.example.com]}
          celery: {app: %s.tasks}
          database: {}
        %s"""
        .formatted(app, env, hosts, app, app, app, env, app, more);
  }

  private static final String DEFAULT_REDIS = "  redis: {}\n";

  private ApplyResult apply(String yaml) {
    return revisions.apply(yaml, "app.yaml", false, "admin alice");
  }

  private List<ManifestError> refused(String yaml) {
    ApplyResult result = apply(yaml);
    assertThat(result).isInstanceOf(ApplyResult.Rejected.class);
    return ((ApplyResult.Rejected) result).errors();
  }

  @Test
  void twoAppsOnTheSameHosts_namingTheSameRedisDatabase_areRefusedNamingTheOther() {
    assertThat(apply(stack("shop", "production", "{labels: {role: web}}", DEFAULT_REDIS)))
        .isInstanceOf(ApplyResult.Accepted.class);

    List<ManifestError> errors =
        refused(
            stack(
                "blog",
                "production",
                "{labels: {role: web}}",
                "  redis: {cache_db: 3, broker_db: 1}\n"));

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder("stack.redis.cache_db", "stack.redis.broker_db");
    assertThat(errors.get(0).getReason())
        .startsWith("shop/production uses Redis database ")
        .contains("on hosts these could share");
    assertThat(revisions.current()).hasSize(1);
  }

  @Test
  void appsLeavingRedisDatabasesOut_getFreeOnes_keptAcrossApplies() {
    apply(stack("shop", "production", "{labels: {role: web}}", DEFAULT_REDIS));
    ApplyResult.Accepted blog =
        (ApplyResult.Accepted)
            apply(stack("blog", "production", "{labels: {role: web}}", DEFAULT_REDIS));
    ApplyResult.Accepted wiki =
        (ApplyResult.Accepted)
            apply(
                stack("wiki", "production", "{labels: {role: web}}", "  redis: {broker_db: 9}\n"));

    assertThat(redisOf("shop")).containsExactly(1, 3);
    assertThat(redisOf("blog")).containsExactly(2, 4);
    assertThat(redisOf("wiki")).containsExactly(5, 9);
    assertThat(blog.notices())
        .anySatisfy(n -> assertThat(n).startsWith("stack.redis.cache_db: Redis database 2 chosen"))
        .anySatisfy(n -> assertThat(n).contains("shop/production uses 3"));
    assertThat(wiki.notices()).hasSize(1);

    ApplyResult.Accepted again =
        (ApplyResult.Accepted)
            apply(stack("blog", "production", "{labels: {role: web}}", DEFAULT_REDIS));
    assertThat(again.changed()).isFalse();
    assertThat(again.notices()).isEmpty();
    assertThat(redisOf("blog")).containsExactly(2, 4);
  }

  @Test
  void whenEveryRedisDatabaseIsTaken_theStackIsRefused() {
    for (int i = 0; i < 7; i++) {
      assertThat(apply(stack("app" + i, "production", "{labels: {role: web}}", DEFAULT_REDIS)))
          .isInstanceOf(ApplyResult.Accepted.class);
    }

    List<ManifestError> errors =
        refused(stack("full", "production", "{labels: {role: web}}", DEFAULT_REDIS));

    assertThat(errors).extracting(ManifestError::getField).containsExactly("stack.redis.broker_db");
    assertThat(redisOf("app6")).containsExactly(13, 14);
  }

  private List<Integer> redisOf(String app) {
    io.pulley.v1.Stack stack =
        io.pulley.controller.stack.StackDefaults.filled(
            revisions.current().stream()
                .filter(r -> r.getManifest().getApplication().equals(app))
                .findFirst()
                .orElseThrow()
                .getManifest());
    return List.of(stack.getRedis().getCacheDb(), stack.getRedis().getBrokerDb());
  }

  @Test
  void stagingAndProductionOfOneApp_onOneHost_wouldShareRootAndDatabase() {
    apply(stack("shop", "production", "{labels: {role: web}}", DEFAULT_REDIS));

    List<ManifestError> errors =
        refused(
            stack(
                "shop",
                "staging",
                "{labels: {role: web}}",
                "  redis: {cache_db: 5, broker_db: 6}\n"));

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder("stack.name", "stack.database.name");
  }

  @Test
  void twoStacksOnOneHost_cannotBothSetItsMail() {
    String mail =
        "  mail: {relay: smtp.example.com, from: web@example.com, root_to: [ops@example.com]}\n";
    apply(stack("shop", "production", "{labels: {role: web}}", DEFAULT_REDIS + mail));

    List<ManifestError> errors =
        refused(
            stack(
                "blog",
                "production",
                "{labels: {role: web}}",
                "  redis: {cache_db: 5, broker_db: 6}\n" + mail));

    assertThat(errors).extracting(ManifestError::getField).containsExactly("stack.mail");
    assertThat(errors.get(0).getReason()).contains("shop/production", "one Postfix per host");
    assertThat(
            apply(
                stack(
                    "blog",
                    "production",
                    "{labels: {role: web}}",
                    "  redis: {cache_db: 5, broker_db: 6}\n")))
        .isInstanceOf(ApplyResult.Accepted.class);
  }

  @Test
  void stacksGivenTheirOwnNamesAndDatabases_orHostsThatCannotMeet_areAccepted() {
    apply(stack("shop", "production", "{labels: {role: web}}", DEFAULT_REDIS));

    assertThat(
            apply(
                stack(
                    "shop",
                    "staging",
                    "{labels: {role: web}}",
                    "  name: shop-staging\n  redis: {cache_db: 5, broker_db: 6}\n")))
        .isInstanceOf(ApplyResult.Accepted.class);
    assertThat(apply(stack("blog", "production", "{labels: {role: blog}}", DEFAULT_REDIS)))
        .isInstanceOf(ApplyResult.Accepted.class);
    assertThat(revisions.current()).hasSize(3);
  }

  @Test
  void selectorsShareAHost_unlessALabelDisagrees_orTheirHostIdsDoNotMeet() {
    HostSelector web = HostSelector.newBuilder().putLabels("role", "web").build();
    HostSelector europe = HostSelector.newBuilder().putLabels("region", "eu").build();
    HostSelector worker = HostSelector.newBuilder().putLabels("role", "worker").build();
    HostSelector one = HostSelector.newBuilder().addHostIds("web-1").build();
    HostSelector two = HostSelector.newBuilder().addHostIds("web-2").build();

    assertThat(StackCollisions.couldShareAHost(web, europe)).isTrue();
    assertThat(StackCollisions.couldShareAHost(web, HostSelector.getDefaultInstance())).isTrue();
    assertThat(StackCollisions.couldShareAHost(web, worker)).isFalse();
    assertThat(StackCollisions.couldShareAHost(one, two)).isFalse();
    assertThat(StackCollisions.couldShareAHost(one, web)).isTrue();
  }
}
