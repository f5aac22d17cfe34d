package io.pulley.controller.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.controller.store.SecretEntry;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.Database;
import io.pulley.v1.File;
import io.pulley.v1.GitRelease;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Secrets a manifest uses are generated once; deploy keys must be set by an admin. */
class SecretKeeperTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final InMemoryStore store = new InMemoryStore();
  private final SecretKeeper keeper =
      new SecretKeeper(store, new Random(42), Clock.fixed(NOW, ZoneOffset.UTC));

  private static Manifest manifest(Resource... resources) {
    return Manifest.newBuilder()
        .setApplication("shop")
        .setEnvironment("prod")
        .addAllResources(List.of(resources))
        .build();
  }

  private static Resource file(boolean sensitive, String content) {
    return Resource.newBuilder()
        .setId("file:x")
        .setFile(File.newBuilder().setPath("/x").setContent(content).setSensitive(sensitive))
        .build();
  }

  private static Resource database(String secret) {
    return Resource.newBuilder()
        .setId("database:shop")
        .setDatabase(Database.newBuilder().setName("shop").setPasswordSecret(secret))
        .build();
  }

  private static Resource release(String deployKey) {
    return Resource.newBuilder()
        .setId("release:x")
        .setGitRelease(GitRelease.newBuilder().setDeployKeySecret(deployKey))
        .build();
  }

  @Test
  void generateMissing_makesEachReferencedSecretOnce() {
    Manifest manifest = manifest(file(true, "a=${secret:token}\nb=${secret:db}\n"), database("db"));

    assertThat(keeper.generateMissing(manifest)).containsExactly("db", "token");
    String token = store.secrets(new AppEnv("shop", "prod")).get("token");
    assertThat(keeper.generateMissing(manifest)).isEmpty();
    assertThat(store.secrets(new AppEnv("shop", "prod"))).containsEntry("token", token).hasSize(2);
  }

  @Test
  void generateMissing_ignoresReferencesInFilesThatAreNotSensitive() {
    assertThat(keeper.generateMissing(manifest(file(false, "${secret:token}")))).isEmpty();
  }

  @Test
  void newValue_isThirtyTwoBytesOfUrlSafeBase64WithoutPadding() {
    String value = keeper.newValue();

    assertThat(value).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(keeper.newValue()).isNotEqualTo(value);
  }

  @Test
  void missingSecrets_namesTheSecretAndHowToSetIt_andIsNeverGenerated() {
    Manifest manifest = manifest(release("deploy-key"));

    List<ManifestError> errors = keeper.missingSecrets(manifest);
    assertThat(keeper.generateMissing(manifest)).isEmpty();

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("resources[0].git_release.deploy_key_secret");
              assertThat(e.getReason()).contains("pulley secret set shop prod deploy-key");
            });
    store.putSecret(
        new AppEnv("shop", "prod"), "deploy-key", "-----BEGIN OPENSSH PRIVATE KEY-----");
    assertThat(keeper.missingSecrets(manifest)).isEmpty();
  }

  @Test
  void forPlan_givesOnlyTheSecretsTheManifestUses() {
    store.putSecret(new AppEnv("shop", "prod"), "unused", "u");
    Manifest manifest = manifest(database("db"), release("deploy-key"));
    store.putSecret(new AppEnv("shop", "prod"), "deploy-key", "k");
    keeper.generateMissing(manifest);

    assertThat(keeper.forPlan(manifest)).containsOnlyKeys("db", "deploy-key");
  }

  @Test
  void set_storesTheValue_recordsWhoAndWhen_andSaysWhetherItIsNew() {
    keeper.generateMissing(manifest(database("db")));

    assertThat(keeper.set(new AppEnv("shop", "prod"), "deploy-key", "KEY\n", "ann@laptop"))
        .isEqualTo(new SetSecretResult.Stored(true));
    assertThat(keeper.set(new AppEnv("shop", "prod"), "db", "chosen", "bob@laptop"))
        .isEqualTo(new SetSecretResult.Stored(false));

    assertThat(store.secrets(new AppEnv("shop", "prod")))
        .containsEntry("deploy-key", "KEY\n")
        .containsEntry("db", "chosen");
    assertThat(keeper.entries(new AppEnv("shop", "prod")))
        .containsExactly(
            new SecretEntry("db", false, NOW, "bob@laptop"),
            new SecretEntry("deploy-key", false, NOW, "ann@laptop"));
  }

  @Test
  void generateMissing_recordsTheControllerAsTheAuthor() {
    keeper.generateMissing(manifest(database("db")));

    assertThat(keeper.entries(new AppEnv("shop", "prod")))
        .containsExactly(new SecretEntry("db", true, NOW, SecretEntry.CONTROLLER));
  }

  @Test
  void set_rejectsBadNamesAndValues_withTheFieldAndWithoutTheValue() {
    String big = "x".repeat(SecretInput.MAX_VALUE_BYTES + 1);
    assertInvalid(
        keeper.set(new AppEnv("Shop", "prod"), "k", "v", "a"), "application", "lower-case");
    assertInvalid(keeper.set(new AppEnv("shop", ""), "k", "v", "a"), "environment", "required");
    assertInvalid(keeper.set(new AppEnv("shop", "prod"), "", "v", "a"), "name", "required");
    assertInvalid(
        keeper.set(new AppEnv("shop", "prod"), "hunter2!", "v", "a"), "name", "not valid");
    assertInvalid(keeper.set(new AppEnv("shop", "prod"), "-key", "v", "a"), "name", "not valid");
    assertInvalid(
        keeper.set(new AppEnv("shop", "prod"), "k".repeat(64), "v", "a"), "name", "not valid");
    assertInvalid(keeper.set(new AppEnv("shop", "prod"), "key", "", "a"), "value", "empty");
    assertInvalid(keeper.set(new AppEnv("shop", "prod"), "key", big, "a"), "value", "65536");

    assertThat(store.secrets(new AppEnv("shop", "prod"))).isEmpty();
  }

  @Test
  void set_acceptsTheLongestNameAndValue() {
    String name = "k".repeat(63);
    String value = "é".repeat(SecretInput.MAX_VALUE_BYTES / 2);

    assertThat(keeper.set(new AppEnv("shop", "prod"), name, value, "a"))
        .isEqualTo(new SetSecretResult.Stored(true));
  }

  private static void assertInvalid(SetSecretResult result, String field, String reason) {
    assertThat(result)
        .isInstanceOfSatisfying(
            SetSecretResult.Invalid.class,
            invalid -> {
              assertThat(invalid.field()).isEqualTo(field);
              assertThat(invalid.reason()).contains(reason).doesNotContain("hunter2");
            });
  }

  @Test
  void setAndGenerate_areAuditedByNameOnly_neverByValue() {
    String value = "s3cret-value-that-must-not-be-in-the-trail";
    keeper.set(new AppEnv("shop", "prod"), "deploy-key", value, "ann@laptop");
    keeper.generateMissing(manifest(database("db")));
    String generated = store.secrets(new AppEnv("shop", "prod")).get("db");

    List<AuditEvent> events = store.events(new AppEnv("shop", "prod"), 10);

    assertThat(events)
        .extracting(AuditEvent::getKind, AuditEvent::getActor, AuditEvent::getDetail)
        .containsExactly(
            tuple("secret", SecretEntry.CONTROLLER, "generated secret db"),
            tuple("secret", "ann@laptop", "set secret deploy-key"));
    assertThat(events.toString()).doesNotContain(value).doesNotContain(generated);
  }
}
