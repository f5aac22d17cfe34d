package io.pulley.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

  @Test
  void line_showsEveryControlCharacterVisibly_andKeepsOtherText() {
    assertThat(SafeText.line("ok\u001b[2Jgone\r\nnext\ttab\u007f\u0085\u202e"))
        .isEqualTo("ok^[[2Jgone^M next tab^?\uFFFD\uFFFD");
    assertThat(SafeText.line("Grüße, 世界")).isEqualTo("Grüße, 世界");
  }

  @Test
  void lines_keepsNewlinesAndTabs_only() {
    assertThat(SafeText.lines("a\n\tb\u001b]0;title\u0007")).isEqualTo("a\n\tb^[]0;title^G");
  }

  @Test
  void cut_keepsShortText_andCutsLongTextToTheLimitWithItsMarker() {
    assertThat(SafeText.cut("short", 10)).isEqualTo("short");
    String cut = SafeText.cut("x".repeat(50), 20);
    assertThat(cut).hasSize(20).endsWith(SafeText.CUT_MARKER);
  }

  @Test
  void cut_neverSplitsASurrogatePair() {
    String text = "a".repeat(12) + "😀" + "b".repeat(20);

    String cut = SafeText.cut(text, 13 + SafeText.CUT_MARKER.length());

    assertThat(cut).isEqualTo("a".repeat(12) + SafeText.CUT_MARKER);
  }

  @Test
  void cutMiddle_keepsTheStartAndTheCause_atTheEnd() {
    String reason =
        "installing the project failed: could not write /srv/shop/releases/"
            + "0123456789abcdef".repeat(8)
            + "/venv/lib/python3.11/site-packages/x.py: No space left on device";

    String cut = SafeText.cutMiddle(reason, 120);

    assertThat(cut)
        .hasSize(120)
        .startsWith("installing the project failed")
        .endsWith("No space left on device")
        .contains(SafeText.MIDDLE_MARKER);
    assertThat(SafeText.cutMiddle("short", 120)).isEqualTo("short");
  }

  @Test
  void cutMiddle_neverSplitsASurrogatePair() {
    String text = "😀".repeat(100);

    String cut = SafeText.cutMiddle(text, 21);

    assertThat(cut.codePoints().filter(c -> c == 0xFFFD || Character.isSurrogate((char) c)))
        .isEmpty();
    assertThat(cut.length()).isLessThanOrEqualTo(21);
  }

  @Test
  void excerpt_isOneShortLine() {
    String excerpt = SafeText.excerpt("\u001b[31m" + "y".repeat(500));

    assertThat(excerpt).hasSizeLessThanOrEqualTo(SafeText.EXCERPT + 1).startsWith("^[[31m");
    assertThat(excerpt).doesNotContain("\u001b");
  }
}
