package io.pulley.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.wire.SystemdEnvFileReference.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvironmentFileFormatTest {

  private static final String HEADER =
      "# Written by Pulley from the stack section of shop/production; edits here are"
          + " overwritten.\n";

  /** Values that would break a naive writer, one feature each, then all at once. */
  static final List<String> HOSTILE =
      List.of(
          "",
          "plain",
          "say \"hi\"",
          "'single'",
          "\"",
          "'",
          "back\\slash",
          "\\",
          "ends in a backslash\\",
          "\\\"",
          "\\\\\\",
          "$HOME",
          "${HOME}",
          "$(id)",
          "`id`",
          "\\$HOME",
          "${secret:database-password}",
          "$",
          "${",
          "$${{",
          "# not a comment",
          "#",
          "; not a comment either",
          "a=b=c",
          "  spaces at both ends  ",
          " ",
          "trailing space ",
          "%i %h %%",
          "Grüße, 世界, 😀",
          "\u00a0non-breaking\u00a0",
          "\"'\\$`#;= \"",
          "KEY=\"injected\"",
          "x\" \nNEXT=\"y");

  private static Map<String, String> readBack(String name, String value, Dialect dialect) {
    return SystemdEnvFileReference.load(
        HEADER + EnvironmentFileFormat.assignment(name, value) + "AFTER=\"next\"\n", dialect);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void assignment_hostileValues_areReadBackExactly_byEverySystemd(Dialect dialect) {
    for (String value : HOSTILE) {
      if (EnvironmentFileFormat.valueProblem(value).isPresent()) {
        continue;
      }
      assertThat(readBack("VALUE", value, dialect))
          .as("%s reading %s", dialect, value)
          .containsExactly(Map.entry("VALUE", value), Map.entry("AFTER", "next"));
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void assignment_randomValuesOfSpecialCharacters_areReadBackExactly(Dialect dialect) {
    Random random = new Random(252_257);
    String alphabet = "\"'\\$`{}#;= aZ0é世😀%";
    for (int n = 0; n < 2_000; n++) {
      StringBuilder value = new StringBuilder();
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        value.appendCodePoint(
            alphabet.codePointAt(
                alphabet.offsetByCodePoints(
                    0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
      }
      assertThat(readBack("V", value.toString(), dialect))
          .as("%s reading %s", dialect, value)
          .containsEntry("V", value.toString());
    }
  }

  @Test
  void escaped_neverWritesTheStartOfAPlaceholder() {
    for (String value : HOSTILE) {
      if (EnvironmentFileFormat.valueProblem(value).isEmpty()) {
        assertThat(EnvironmentFileFormat.escaped(value)).as(value).doesNotContain("${");
      }
    }
    assertThat(EnvironmentFileFormat.assignment("URL", "${secret:x}"))
        .isEqualTo("URL=\"$\"\"{secret:x}\"\n");
  }

  @Test
  void assignment_escapesOnlyQuotesAndBackslashes() {
    assertThat(EnvironmentFileFormat.assignment("A", "a \"b\" \\c $d `e` #f"))
        .isEqualTo("A=\"a \\\"b\\\" \\\\c $d `e` #f\"\n");
  }

  @Test
  void valueProblem_refusesControlCharactersHalfPairsAndLength_withoutShowingTheValue() {
    for (String bad : List.of("a\nb", "a\rb", "tab\there", "nul\0", "\u0085", "line\u2028sep")) {
      assertThat(EnvironmentFileFormat.valueProblem(bad))
          .as(bad)
          .hasValue("it holds a line break or another control character");
    }
    assertThat(EnvironmentFileFormat.valueProblem("x\ud800y")).get().asString().contains("UTF-8");
    assertThat(EnvironmentFileFormat.valueProblem("end\udc00")).isPresent();
    assertThat(EnvironmentFileFormat.valueProblem("😀")).isEmpty();
    assertThat(
            EnvironmentFileFormat.valueProblem(
                "x".repeat(EnvironmentFileFormat.MAX_VALUE_LENGTH + 1)))
        .get()
        .asString()
        .contains("more than " + EnvironmentFileFormat.MAX_VALUE_LENGTH);
    assertThatThrownBy(() -> EnvironmentFileFormat.escaped("secret\nvalue"))
        .hasMessageNotContaining("secret")
        .hasMessageNotContaining("value\"");
  }

  @Test
  void isName_acceptsWhatSystemdAccepts() {
    assertThat(List.of("A", "_", "a1", "DATABASE_URL", "_x9"))
        .allMatch(EnvironmentFileFormat::isName);
    assertThat(List.of("", "1A", "A-B", "A.B", "A B", "É", "A=B"))
        .noneMatch(EnvironmentFileFormat::isName);
    assertThatThrownBy(() -> EnvironmentFileFormat.assignment("A-B", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parse_readsWhatSystemdReads_fromHandWrittenFiles() {
    String text =
        """
        # a comment
        ; another
          PLAIN =  spaced value\t\s
        SINGLE='a \\ b'
        DOUBLE="a \\" \\\\ \\$ \\x"
        JOINED="a"'b'  "c"
        CONTINUED=one\\
        two
        EMPTY=
        NOEQUALS
        BAD-NAME=x
        REPEATED=first
        REPEATED=second
        LAST="unterminated""";

    assertThat(EnvironmentFileFormat.parse(text))
        .containsExactly(
            Map.entry("PLAIN", "spaced value"),
            Map.entry("SINGLE", "a \\ b"),
            Map.entry("DOUBLE", "a \" \\ $ \\x"),
            Map.entry("JOINED", "abc"),
            Map.entry("CONTINUED", "onetwo"),
            Map.entry("EMPTY", ""),
            Map.entry("REPEATED", "second"),
            Map.entry("LAST", "unterminated"));
  }

  @Test
  void parse_commentEndingInABackslash_endsAtItsLine_as254AndLaterRead() {
    String text = "# ends in \\\nA=1\n";

    assertThat(EnvironmentFileFormat.parse(text)).containsExactly(Map.entry("A", "1"));
    assertThat(SystemdEnvFileReference.load(text, Dialect.V257)).containsEntry("A", "1");
    // 252 read the next line as part of the comment: the stack's files never end a comment so.
    assertThat(SystemdEnvFileReference.load(text, Dialect.V252)).isEmpty();
    assertThat(HEADER).doesNotContain("\\");
  }

  @Test
  void parse_agreesWithTheReference_onRandomText() {
    Random random = new Random(254);
    String alphabet = "AB_=\"'\\$#; \t\n\rx9é";
    for (int n = 0; n < 5_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(30);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      Map<String, String> expected =
          new java.util.LinkedHashMap<>(
              SystemdEnvFileReference.load(text.toString(), Dialect.V257));
      expected.keySet().removeIf(name -> !EnvironmentFileFormat.isName(name));
      assertThat(new ArrayList<>(EnvironmentFileFormat.parse(text.toString()).entrySet()))
          .as(text.toString())
          .containsExactlyInAnyOrderElementsOf(expected.entrySet());
    }
  }
}
