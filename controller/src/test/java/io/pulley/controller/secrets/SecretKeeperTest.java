package io.pulley.controller.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.store.InMemoryStore;
import io.pulley.v1.Database;
import io.pulley.v1.File;
import io.pulley.v1.GitRelease;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Secrets a manifest uses are generated once; deploy keys must be set by an admin. */
class SecretKeeperTest {

  private final InMemoryStore store = new InMemoryStore();
  private final SecretKeeper keeper = new SecretKeeper(store, new Random(42));

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
    String token = store.secrets("shop", "prod").get("token");
    assertThat(keeper.generateMissing(manifest)).isEmpty();
    assertThat(store.secrets("shop", "prod")).containsEntry("token", token).hasSize(2);
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
  void missingDeployKeys_namesTheSecretAndHowToSetIt_andIsNeverGenerated() {
    Manifest manifest = manifest(release("deploy-key"));

    List<ManifestError> errors = keeper.missingDeployKeys(manifest);
    assertThat(keeper.generateMissing(manifest)).isEmpty();

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getField()).isEqualTo("resources[0].git_release.deploy_key_secret");
              assertThat(e.getReason()).contains("pulley secret set shop prod deploy-key");
            });
    store.putSecret("shop", "prod", "deploy-key", "-----BEGIN OPENSSH PRIVATE KEY-----");
    assertThat(keeper.missingDeployKeys(manifest)).isEmpty();
  }

  @Test
  void forPlan_givesOnlyTheSecretsTheManifestUses() {
    store.putSecret("shop", "prod", "unused", "u");
    Manifest manifest = manifest(database("db"), release("deploy-key"));
    store.putSecret("shop", "prod", "deploy-key", "k");
    keeper.generateMissing(manifest);

    assertThat(keeper.forPlan(manifest)).containsOnlyKeys("db", "deploy-key");
  }
}
