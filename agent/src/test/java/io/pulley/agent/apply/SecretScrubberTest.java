package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {

  @Test
  void scrub_everyOccurrenceOfEverySecret_isMasked() {
    assertThat(SecretScrubber.scrub("a=xyz1 b=xyz1 c=qq", List.of("xyz1", "qq")))
        .isEqualTo("a=*** b=*** c=***");
  }

  @Test
  void scrub_secretContainingAnother_isMaskedWhole() {
    assertThat(SecretScrubber.scrub("token abcdef", List.of("abc", "abcdef")))
        .isEqualTo("token ***");
  }

  @Test
  void scrub_tailStartingInsideASecret_masksTheCutPiece() {
    assertThat(SecretScrubber.scrub("89abcdef\nrest", List.of("0123456789abcdef")))
        .isEqualTo("***\nrest");
  }

  @Test
  void scrub_shortCutPieces_areLeftAlone() {
    assertThat(SecretScrubber.scrub("def rest", List.of("0123456789abcdef"))).isEqualTo("def rest");
  }

  @Test
  void scrub_emptySecrets_areIgnored() {
    assertThat(SecretScrubber.scrub("text", List.of(""))).isEqualTo("text");
  }
}
