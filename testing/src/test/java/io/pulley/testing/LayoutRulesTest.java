package io.pulley.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutRulesTest {
  private static final Path FIXTURES = Path.of("target/test-classes/io/pulley/testing/fixture");

  @Test
  void packagesThatImportEachOther_areACycle() {
    assertThatThrownBy(() -> LayoutRules.assertNoPackageCycles(FIXTURES.resolve("cycle")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("fixture.cycle.a")
        .hasMessageContaining("fixture.cycle.b");
  }

  @Test
  void packagesInLayers_pass() {
    assertThatCode(() -> LayoutRules.assertNoPackageCycles(FIXTURES.resolve("layered")))
        .doesNotThrowAnyException();
  }

  @Test
  void aFolderWithoutClasses_failsRatherThanPassing(@TempDir Path empty) {
    assertThatThrownBy(() -> LayoutRules.assertNoPackageCycles(empty))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no classes");
  }

  @Test
  void aFileOverTheLimit_isNamedWithItsLength(@TempDir Path sources) throws IOException {
    Files.createDirectories(sources.resolve("a"));
    Files.writeString(sources.resolve("a/Long.java"), "//\n".repeat(LayoutRules.MAX_LINES + 1));
    Files.writeString(sources.resolve("a/Short.java"), "//\n".repeat(LayoutRules.MAX_LINES));

    assertThatThrownBy(() -> LayoutRules.assertFilesAtMostMaxLines(sources))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Long.java (351 lines)")
        .hasMessageNotContaining("Short.java");
  }

  @Test
  void stringSplit_isABacktrackingRegex() {
    assertThatThrownBy(() -> LayoutRules.assertNoBacktrackingRegex(FIXTURES.resolve("regex/split")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Splits.words")
        .hasMessageContaining("String.split");
  }

  @Test
  void javaUtilRegex_isABacktrackingRegex() {
    assertThatThrownBy(
            () -> LayoutRules.assertNoBacktrackingRegex(FIXTURES.resolve("regex/pattern")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.util.regex.Pattern");
  }

  @Test
  void classesWithoutRegex_pass() {
    assertThatCode(() -> LayoutRules.assertNoBacktrackingRegex(FIXTURES.resolve("layered")))
        .doesNotThrowAnyException();
  }
}
