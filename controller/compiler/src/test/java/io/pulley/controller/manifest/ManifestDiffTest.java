package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.File;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import org.junit.jupiter.api.Test;

class ManifestDiffTest {

  private static Manifest withMode(String mode) {
    return Manifest.newBuilder()
        .setApplication("hello")
        .setEnvironment("demo")
        .addResources(
            Resource.newBuilder()
                .setId("file:/etc/hello.conf")
                .setFile(
                    File.newBuilder().setPath("/etc/hello.conf").setContent("hi").setMode(mode)))
        .build();
  }

  @Test
  void between_equalManifests_isEmpty() {
    assertThat(ManifestDiff.between(withMode("0644"), withMode("0644"), "rev 1", "new")).isEmpty();
  }

  @Test
  void between_changedField_showsTheOldAndNewLine() {
    String diff = ManifestDiff.between(withMode("0644"), withMode("0600"), "rev 1", "new");

    assertThat(diff)
        .startsWith("--- rev 1\n+++ new\n@@ ")
        .contains("\n-    mode: \"0644\"\n")
        .contains("\n+    mode: \"0600\"\n")
        .contains("\n     path: \"/etc/hello.conf\"\n");
  }

  @Test
  void between_noPrevious_showsEverythingAdded() {
    String diff = ManifestDiff.between(null, withMode("0644"), "nothing", "new");

    assertThat(diff).contains("+application: \"hello\"\n").doesNotContain("\n-");
  }
}
