package io.pulley.agent.apply.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LineDiffTest {
  @Test
  void of_addedLine_showsOnlyThePlus() {
    assertThat(LineDiff.of("a\nc\n", "a\nb\nc\n")).isEqualTo("at line 2:\n+b");
  }

  @Test
  void of_onlyFinalNewlineDiffers_saysSo() {
    assertThat(LineDiff.of("a\n", "a"))
        .isEqualTo("at line 2:\n(line endings or a final newline differ)");
  }

  @Test
  void of_manyChangedLines_isCutAfterTen() {
    String old = lines("old", 8);
    String found = lines("new", 8);

    String diff = LineDiff.of(old, found);

    assertThat(diff.lines()).hasSize(12);
    assertThat(diff).startsWith("at line 1:\n-old 0\n").endsWith("+new 1\n… 6 more lines");
  }

  private static String lines(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + " " + i).collect(Collectors.joining("\n"));
  }
}
