package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.manifest;
import static io.pulley.controller.stack.SampleStacks.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.v1.HandoverMode;
import io.pulley.v1.Manifest;
import org.junit.jupiter.api.Test;

/** The handover's words, and the way between the deprecated word field and the enum. */
@SuppressWarnings("deprecation") // the deprecated field is what this class is about
class HandoverWordsTest {

  @Test
  void mode_takesExactlyTheWordsManifestsWrite() {
    assertThat(HandoverWords.mode("per-release")).contains(HandoverMode.HANDOVER_MODE_PER_RELEASE);
    assertThat(HandoverWords.mode("reload")).contains(HandoverMode.HANDOVER_MODE_RELOAD);
    assertThat(HandoverWords.mode("")).contains(HandoverMode.HANDOVER_MODE_UNSPECIFIED);
    assertThat(HandoverWords.mode("RELOAD")).isEmpty();
    assertThat(HandoverWords.mode("per_release")).isEmpty();
    assertThat(HandoverWords.mode("HANDOVER_MODE_RELOAD")).isEmpty();
  }

  @Test
  void withModeThenWithWord_givesTheStoredFormBack() {
    var web = minimal();
    web.getWebBuilder().setHandover("reload");
    Manifest stored = manifest(web);

    Manifest upgraded = HandoverWords.withMode(stored);

    assertThat(upgraded.getStack().getWeb().getHandoverMode())
        .isEqualTo(HandoverMode.HANDOVER_MODE_RELOAD);
    assertThat(upgraded.getStack().getWeb().getHandover()).isEmpty();
    assertThat(HandoverWords.withWord(upgraded)).isEqualTo(stored);
  }

  @Test
  void withModeAndWithWord_withNothingToMove_returnTheSameManifest() {
    Manifest plain = manifest(minimal());

    assertThat(HandoverWords.withMode(plain)).isSameAs(plain);
    assertThat(HandoverWords.withWord(plain)).isSameAs(plain);
  }

  @Test
  void withMode_aWordNoManifestCouldHold_isRefused() {
    var web = minimal();
    web.getWebBuilder().setHandover("blue-green");

    assertThatThrownBy(() -> HandoverWords.withMode(manifest(web)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"blue-green\"");
  }
}
