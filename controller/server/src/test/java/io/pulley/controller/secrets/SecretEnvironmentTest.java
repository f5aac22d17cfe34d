package io.pulley.controller.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.stack.StackRenderer;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.v1.File;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackDatabase;
import io.pulley.v1.StackGit;
import io.pulley.v1.StackMail;
import io.pulley.v1.StackSecretVariable;
import io.pulley.v1.StackSettings;
import io.pulley.v1.StackSite;
import io.pulley.v1.StackWeb;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Secrets named by stack.secret_environment: set by an admin, or generated when asked to. */
class SecretEnvironmentTest {

  private static final AppEnv SHOP = new AppEnv("shop", "prod");

  private final InMemoryStore store = new InMemoryStore();
  private final SecretKeeper keeper =
      new SecretKeeper(
          store, new Random(7), Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));

  /** A compiled manifest: the stack and the resources it renders. */
  private static Manifest compiled(Stack.Builder stack) {
    Manifest manifest =
        Manifest.newBuilder()
            .setApplication("shop")
            .setEnvironment("prod")
            .setStack(
                stack
                    .setGit(
                        StackGit.newBuilder()
                            .setUrl("https://git.example.com/shop.git")
                            .setRef("main")
                            .setCommit("0123456789abcdef0123456789abcdef01234567"))
                    .setWeb(StackWeb.newBuilder().setWsgi("shop.wsgi"))
                    .setSite(StackSite.newBuilder().addDomains("shop.example.com")))
            .build();
    return manifest.toBuilder().addAllResources(StackRenderer.render(manifest)).build();
  }

  private static StackSecretVariable secret(String name, boolean generate) {
    return StackSecretVariable.newBuilder().setSecret(name).setGenerate(generate).build();
  }

  @Test
  void secretNotSet_isRefusedWithTheFieldAndHowToSetIt_andNeverGenerated() {
    Manifest manifest =
        compiled(Stack.newBuilder().putSecretEnvironment("STRIPE_KEY", secret("stripe", false)));

    List<ManifestError> errors = keeper.missingSecrets(manifest);
    assertThat(keeper.generateMissing(manifest)).isEmpty();

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.secret_environment[\"STRIPE_KEY\"].secret");
              assertThat(e.getReason())
                  .startsWith("secret \"stripe\" is not set")
                  .contains("pulley secret set shop prod stripe < VALUE_FILE")
                  .endsWith("or add \"generate: true\" to let the controller make a random one");
            });
    store.putSecret(SHOP, "stripe", "sk_live_x");
    assertThat(keeper.missingSecrets(manifest)).isEmpty();
    assertThat(keeper.forPlan(manifest)).containsOnlyKeys("stripe");
  }

  @Test
  void generate_makesTheSecret_andTheDatabasePasswordToo() {
    Manifest manifest =
        compiled(
            Stack.newBuilder()
                .setDatabase(StackDatabase.getDefaultInstance())
                .putSecretEnvironment("DJANGO_SECRET_KEY", secret("django-secret-key", true)));

    assertThat(keeper.missingSecrets(manifest)).isEmpty();
    assertThat(keeper.generateMissing(manifest))
        .containsExactly("database-password", "django-secret-key");
    assertThat(keeper.forPlan(manifest)).containsOnlyKeys("database-password", "django-secret-key");
  }

  @Test
  void secretTheStackGeneratesAnyway_needsNoAdmin() {
    Manifest manifest =
        compiled(
            Stack.newBuilder()
                .setDatabase(StackDatabase.getDefaultInstance())
                .setSettings(StackSettings.newBuilder().addSecrets("session.secret"))
                .putSecretEnvironment("SESSION_SECRET", secret("session.secret", false))
                .putSecretEnvironment("PGPASSWORD", secret("database-password", false)));

    assertThat(keeper.missingSecrets(manifest)).isEmpty();
    assertThat(keeper.generateMissing(manifest))
        .containsExactly("database-password", "session.secret");
  }

  @Test
  void storedSecretOnSeveralLines_isRefusedForAVariable_withoutShowingIt() {
    store.putSecret(SHOP, "pem", "-----BEGIN KEY-----\nhidden\n");
    Manifest manifest =
        compiled(Stack.newBuilder().putSecretEnvironment("KEY", secret("pem", false)));

    assertThat(keeper.missingSecrets(manifest))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.secret_environment[\"KEY\"].secret");
              assertThat(e.getReason())
                  .contains("cannot be an environment variable", "line break")
                  .doesNotContain("hidden");
            });
  }

  @Test
  void placeholderWithFilters_namesTheSecretBeforeTheBar() {
    Manifest manifest =
        Manifest.newBuilder()
            .setApplication("shop")
            .setEnvironment("prod")
            .addResources(
                Resource.newBuilder()
                    .setId("file:x")
                    .setFile(
                        File.newBuilder()
                            .setPath("/x")
                            .setContent("url=postgres://u:${secret:token|url}@h/db\n")
                            .setSensitive(true)))
            .build();

    assertThat(keeper.generateMissing(manifest)).containsExactly("token");
  }

  @Test
  void relayPassword_mustBeSetByTheAdmin_onOneLine_andIsNeverGenerated() {
    Manifest manifest =
        compiled(
            Stack.newBuilder()
                .setMail(
                    StackMail.newBuilder()
                        .setRelay("smtp.example.com")
                        .setUsername("alerts@example.com")
                        .setPasswordSecret("smtp")
                        .addRootTo("ops@example.com")));

    assertThat(keeper.generateMissing(manifest)).doesNotContain("smtp");
    assertThat(keeper.missingSecrets(manifest))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("stack.mail.password_secret");
              assertThat(e.getReason())
                  .isEqualTo(
                      "secret \"smtp\" is not set; set it first with `pulley secret set shop prod"
                          + " smtp < VALUE_FILE`");
            });
    store.putSecret(SHOP, "smtp", "hidden\nroot evil@example.com");
    assertThat(keeper.missingSecrets(manifest))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getReason())
                    .isEqualTo(
                        "secret \"smtp\" cannot be the relay's password: it holds a control"
                            + " character (a line break, a tab or a NUL); set it anew as one line"));
    store.putSecret(SHOP, "smtp", "p4ss:word|x");
    assertThat(keeper.missingSecrets(manifest)).isEmpty();
    assertThat(keeper.forPlan(manifest)).containsKey("smtp");
  }
}
