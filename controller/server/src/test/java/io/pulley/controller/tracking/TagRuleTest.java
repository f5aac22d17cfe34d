package io.pulley.controller.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagRuleTest {
  private static final String A = "a".repeat(40);
  private static final String B = "b".repeat(40);
  private static final String C = "c".repeat(40);

  @Test
  void picksTheHighestVersion_notTheNewestNameOrListingOrder() {
    TagRule rule = new TagRule("v*", false);

    Optional<TagRule.Candidate> newest =
        rule.newest(Map.of("v1.9.0", A, "v1.10.0", B, "v1.2.0", C), Set.of());

    assertThat(newest.map(TagRule.Candidate::tag)).contains("v1.10.0");
    assertThat(newest.map(TagRule.Candidate::commit)).contains(B);
  }

  @Test
  void leavesPreReleasesOut_unlessAsked() {
    Map<String, String> tags = Map.of("v1.0.0", A, "v1.1.0-rc.1", B);

    assertThat(new TagRule("v*", false).newest(tags, Set.of()).map(TagRule.Candidate::tag))
        .contains("v1.0.0");
    assertThat(new TagRule("v*", true).newest(tags, Set.of()).map(TagRule.Candidate::tag))
        .contains("v1.1.0-rc.1");
  }

  @Test
  void onlyTagsMatchingTheGlobCount_andTheGlobIsNotARegex() {
    Map<String, String> tags = Map.of("v1.0.0", A, "staging-9.0.0", B, "v2.0.0.x", C);

    assertThat(new TagRule("v*", false).newest(tags, Set.of()).map(TagRule.Candidate::tag))
        .as("v2.0.0.x is not a version, staging-9.0.0 does not match")
        .contains("v1.0.0");
    assertThat(new TagRule("v1.?.0", false).matches("v1.5.0")).isTrue();
    assertThat(new TagRule("v1.?.0", false).matches("v1x5.0")).isFalse();
    assertThat(new TagRule("v(1).*", false).matches("v(1).2")).isTrue();
  }

  @Test
  void aQuarantinedTagIsSkippedAtItsCommit_butNotOnceRePushedElsewhere() {
    TagRule rule = new TagRule("v*", false);
    Set<TagRule.Quarantined> quarantined = Set.of(new TagRule.Quarantined("v2.0.0", B));

    assertThat(
            rule.newest(Map.of("v1.0.0", A, "v2.0.0", B), quarantined).map(TagRule.Candidate::tag))
        .contains("v1.0.0");
    // The tag deleted and pushed again at a fixed commit is a new candidate.
    assertThat(
            rule.newest(Map.of("v1.0.0", A, "v2.0.0", C), quarantined)
                .map(TagRule.Candidate::commit))
        .contains(C);
    // A newer tag than the quarantined one goes ahead.
    assertThat(
            rule.newest(Map.of("v2.0.0", B, "v2.0.1", C), quarantined).map(TagRule.Candidate::tag))
        .contains("v2.0.1");
  }

  @Test
  void equalPrecedenceIsDecidedByName_soTheAnswerIsStable() {
    TagRule rule = new TagRule("v*", false);

    assertThat(rule.newest(Map.of("v1.2", A, "v1.2.0", B), Set.of()).map(TagRule.Candidate::tag))
        .contains("v1.2.0");
  }

  @Test
  void noMatchingTag_noCandidate() {
    assertThat(new TagRule("v*", false).newest(Map.of("latest", A), Set.of())).isEmpty();
    assertThatThrownBy(() -> new TagRule("", false)).isInstanceOf(IllegalArgumentException.class);
  }
}
