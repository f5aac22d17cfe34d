package io.pulley.controller.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SemanticVersionTest {

  @Test
  void ordersBySemverPrecedence_theSpecificationsOwnExample() {
    // Semantic Versioning 2.0, item 11: 1.0.0-alpha < 1.0.0-alpha.1 < … < 1.0.0.
    List<String> ascending =
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.2.0",
            "1.10.0",
            "2.0.0");
    List<String> shuffled = new ArrayList<>(ascending);
    Collections.shuffle(shuffled, new Random(7));

    List<String> sorted =
        shuffled.stream()
            .sorted(
                (a, b) ->
                    SemanticVersion.fromTag(a)
                        .orElseThrow()
                        .compareTo(SemanticVersion.fromTag(b).orElseThrow()))
            .toList();

    assertThat(sorted).isEqualTo(ascending);
  }

  @Test
  void readsTheVersionAfterATagsPrefix_andAMissingPatchAsZero() {
    assertThat(SemanticVersion.fromTag("v1.4.2")).contains(version(1, 4, 2));
    assertThat(SemanticVersion.fromTag("release-1.4.2")).contains(version(1, 4, 2));
    assertThat(SemanticVersion.fromTag("v1.4")).contains(version(1, 4, 0));
    assertThat(SemanticVersion.fromTag("v2")).contains(version(2, 0, 0));
    assertThat(SemanticVersion.fromTag("v1.4.2-rc.1").orElseThrow().isPreRelease()).isTrue();
  }

  @Test
  void buildMetadataDoesNotChangePrecedence() {
    assertThat(
            SemanticVersion.fromTag("v1.0.0+build.7")
                .orElseThrow()
                .compareTo(SemanticVersion.fromTag("v1.0.0").orElseThrow()))
        .isZero();
  }

  @Test
  void numbersBeyondLongAreCompared() {
    assertThat(
            SemanticVersion.fromTag("v1.99999999999999999999.0")
                .orElseThrow()
                .compareTo(SemanticVersion.fromTag("v1.99999999999999999998.0").orElseThrow()))
        .isPositive();
  }

  @Test
  void refusesWhatIsNotAVersion() {
    for (String tag :
        List.of("latest", "v", "v1.2.3.4", "v01.2.3", "v1.2.3-01", "v1.2.3-", "v1..2", "v1.2x")) {
      assertThat(SemanticVersion.fromTag(tag)).as(tag).isEmpty();
    }
  }

  private static SemanticVersion version(int major, int minor, int patch) {
    return new SemanticVersion(
        java.math.BigInteger.valueOf(major),
        java.math.BigInteger.valueOf(minor),
        java.math.BigInteger.valueOf(patch),
        List.of());
  }
}
