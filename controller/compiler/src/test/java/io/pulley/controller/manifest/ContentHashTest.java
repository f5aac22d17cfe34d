package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Command;
import io.pulley.v1.HandoverMode;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import org.junit.jupiter.api.Test;

class ContentHashTest {

  private static Manifest manifest(String application, String first, String second) {
    return Manifest.newBuilder()
        .setApplication(application)
        .setEnvironment("demo")
        .addResources(
            Resource.newBuilder()
                .setId("command:/bin/true")
                .setCommand(
                    Command.newBuilder()
                        .addArgv("/bin/true")
                        .putEnv(first, "1")
                        .putEnv(second, "2")))
        .build();
  }

  @Test
  void of_sameContent_givesTheSameHash() {
    assertThat(ContentHash.of(manifest("hello", "A", "B")))
        .isEqualTo(ContentHash.of(manifest("hello", "A", "B")))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void of_mapInsertionOrder_doesNotChangeTheHash() {
    Manifest ab = manifest("hello", "A", "B");
    Manifest ba =
        ab.toBuilder()
            .setResources(
                0,
                ab.getResources(0).toBuilder()
                    .setCommand(
                        Command.newBuilder()
                            .addArgv("/bin/true")
                            .putEnv("B", "2")
                            .putEnv("A", "1")))
            .build();

    assertThat(ContentHash.of(ba)).isEqualTo(ContentHash.of(ab));
  }

  @SuppressWarnings("deprecation") // revisions stored before the enum hold the word
  @Test
  void of_handoverMode_hashesAsTheWordRevisionsStoredBeforeTheEnumHold() {
    Manifest.Builder stored = manifest("hello", "A", "B").toBuilder();
    stored.getStackBuilder().getWebBuilder().setHandover("reload");
    Manifest.Builder now = manifest("hello", "A", "B").toBuilder();
    now.getStackBuilder().getWebBuilder().setHandoverMode(HandoverMode.HANDOVER_MODE_RELOAD);

    assertThat(ContentHash.of(now.build())).isEqualTo(ContentHash.of(stored.build()));
    now.getStackBuilder().getWebBuilder().setHandoverMode(HandoverMode.HANDOVER_MODE_PER_RELEASE);
    assertThat(ContentHash.of(now.build())).isNotEqualTo(ContentHash.of(stored.build()));
  }

  @Test
  void of_changedContent_changesTheHash() {
    assertThat(ContentHash.of(manifest("hello", "A", "B")))
        .isNotEqualTo(ContentHash.of(manifest("hallo", "A", "B")));
  }
}
