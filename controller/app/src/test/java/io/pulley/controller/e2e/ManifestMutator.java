package io.pulley.controller.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a valid manifest, the kinds an attacker or a careless editor produces:
 * flipped characters, cut or doubled lines, hostile scalars in place of values, deep nesting, huge
 * strings, anchors and aliases, tags, and control characters.
 */
final class ManifestMutator {
  private static final String[] HOSTILE_SCALARS = {
    "",
    "~",
    "null",
    "-1",
    "0",
    "9223372036854775808",
    "1e309",
    ".nan",
    "!!binary aGVsbG8=",
    "!!python/object:os.system",
    "&a [*a]",
    "*undefined",
    "{",
    "[",
    "'",
    "\"\\u0000\"",
    "\"\\e[2J\"",
    "../../../../etc/shadow",
    "/etc/passwd",
    "$(reboot)",
    "`id`",
    "a;b",
    "\"x\\ny\"",
    "0777",
    "true",
    "[1, 2, 3]",
    "{a: 1}",
    "http://user:secret@example.invalid/x.git",
  };

  private final Random random;

  ManifestMutator(long seed) {
    this.random = new Random(seed);
  }

  String mutate(String manifest) {
    int mutations = 1 + random.nextInt(3);
    String result = manifest;
    for (int i = 0; i < mutations; i++) {
      result = once(result);
    }
    return result;
  }

  private String once(String text) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    int at = random.nextInt(lines.size());
    switch (random.nextInt(10)) {
      case 0 -> lines.remove(at);
      case 1 -> lines.add(at, lines.get(at));
      case 2 -> lines.set(at, replaceValue(lines.get(at)));
      case 3 -> lines.set(at, flipCharacter(lines.get(at)));
      case 4 -> lines.set(at, indent(lines.get(at), random.nextInt(5) - 2));
      case 5 -> lines.add(at, "  " + "[".repeat(1 + random.nextInt(20_000)));
      case 6 -> lines.set(at, replaceValue(lines.get(at), "x".repeat(1 + random.nextInt(300_000))));
      case 7 -> lines.set(at, lines.get(at) + (char) random.nextInt(0x20));
      case 8 -> lines.add(at, "anchor" + at + ": &a" + at + " [*a" + at + "]");
      default -> {
        int other = random.nextInt(lines.size());
        String line = lines.get(at);
        lines.set(at, lines.get(other));
        lines.set(other, line);
      }
    }
    return String.join("\n", lines);
  }

  private String replaceValue(String line) {
    return replaceValue(line, HOSTILE_SCALARS[random.nextInt(HOSTILE_SCALARS.length)]);
  }

  private static String replaceValue(String line, String value) {
    int colon = line.indexOf(": ");
    return colon < 0 ? line + " " + value : line.substring(0, colon + 2) + value;
  }

  private String flipCharacter(String line) {
    if (line.isEmpty()) {
      return "\uFFFF";
    }
    char[] chars = line.toCharArray();
    chars[random.nextInt(chars.length)] = (char) random.nextInt(0x3000);
    return new String(chars);
  }

  private static String indent(String line, int by) {
    return by >= 0 ? " ".repeat(by) + line : line.substring(Math.min(-by, leadingSpaces(line)));
  }

  private static int leadingSpaces(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
