package io.pulley.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reference decoder of systemd environment files for tests: parse_env_file_internal of
 * src/basic/env-file.c transcribed byte by byte, as the C code walks the file, in three dialects.
 * It keeps what {@code load_env_file} pushes (every key, even one systemd's exec would drop later),
 * so that tests see exactly what the parser made of the text.
 */
final class SystemdEnvFileReference {

  enum Dialect {
    /**
     * systemd before 240 or so: a backslash escapes any character inside single quotes too, and
     * inside double quotes it is dropped before any character.
     */
    LEGACY,
    /** 252 (Debian 12): SHELL_NEED_ESCAPE inside double quotes; a comment ending in "\" goes on. */
    V252,
    /** 254 and later, 257 (Debian 13): a backslash ending a comment no longer continues it. */
    V257
  }

  private static final String WHITESPACE = " \t\n\r";
  private static final String NEWLINE = "\n\r";
  private static final String COMMENTS = "#;";
  private static final String SHELL_NEED_ESCAPE = "\"\\`$";

  private SystemdEnvFileReference() {}

  static Map<String, String> load(String text, Dialect dialect) {
    byte[] p = text.getBytes(StandardCharsets.UTF_8);
    Map<String, String> pushed = new LinkedHashMap<>();
    ByteArrayOutputStream key = new ByteArrayOutputStream();
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    int lastKeyWhitespace = -1;
    int lastValueWhitespace = -1;
    String state = "PRE_KEY";
    for (byte b : p) {
      char c = (char) (b & 0xff);
      switch (state) {
        case "PRE_KEY":
          if (in(COMMENTS, c)) {
            state = "COMMENT";
          } else if (!in(WHITESPACE, c)) {
            state = "KEY";
            lastKeyWhitespace = -1;
            key.write(b);
          }
          break;
        case "KEY":
          if (in(NEWLINE, c)) {
            state = "PRE_KEY";
            key.reset();
          } else if (c == '=') {
            state = "PRE_VALUE";
            lastValueWhitespace = -1;
          } else {
            if (!in(WHITESPACE, c)) {
              lastKeyWhitespace = -1;
            } else if (lastKeyWhitespace == -1) {
              lastKeyWhitespace = key.size();
            }
            key.write(b);
          }
          break;
        case "PRE_VALUE":
          if (in(NEWLINE, c)) {
            state = "PRE_KEY";
            push(pushed, key, lastKeyWhitespace, value, -1);
            key.reset();
            value.reset();
          } else if (c == '\'') {
            state = "SINGLE_QUOTE_VALUE";
          } else if (c == '"') {
            state = "DOUBLE_QUOTE_VALUE";
          } else if (c == '\\') {
            state = "VALUE_ESCAPE";
          } else if (!in(WHITESPACE, c)) {
            state = "VALUE";
            value.write(b);
          }
          break;
        case "VALUE":
          if (in(NEWLINE, c)) {
            state = "PRE_KEY";
            push(pushed, key, lastKeyWhitespace, value, lastValueWhitespace);
            key.reset();
            value.reset();
          } else if (c == '\\') {
            state = "VALUE_ESCAPE";
            lastValueWhitespace = -1;
          } else {
            if (!in(WHITESPACE, c)) {
              lastValueWhitespace = -1;
            } else if (lastValueWhitespace == -1) {
              lastValueWhitespace = value.size();
            }
            value.write(b);
          }
          break;
        case "VALUE_ESCAPE":
          state = "VALUE";
          if (!in(NEWLINE, c)) {
            value.write(b);
          }
          break;
        case "SINGLE_QUOTE_VALUE":
          if (c == '\'') {
            state = "PRE_VALUE";
          } else if (c == '\\' && dialect == Dialect.LEGACY) {
            state = "SINGLE_QUOTE_VALUE_ESCAPE";
          } else {
            value.write(b);
          }
          break;
        case "SINGLE_QUOTE_VALUE_ESCAPE":
          state = "SINGLE_QUOTE_VALUE";
          if (!in(NEWLINE, c)) {
            value.write(b);
          }
          break;
        case "DOUBLE_QUOTE_VALUE":
          if (c == '"') {
            state = "PRE_VALUE";
          } else if (c == '\\') {
            state = "DOUBLE_QUOTE_VALUE_ESCAPE";
          } else {
            value.write(b);
          }
          break;
        case "DOUBLE_QUOTE_VALUE_ESCAPE":
          state = "DOUBLE_QUOTE_VALUE";
          if (dialect == Dialect.LEGACY) {
            if (!in(NEWLINE, c)) {
              value.write(b);
            }
          } else if (in(SHELL_NEED_ESCAPE, c)) {
            value.write(b);
          } else if (c != '\n') {
            value.write('\\');
            value.write(b);
          }
          break;
        case "COMMENT":
          if (c == '\\') {
            state = "COMMENT_ESCAPE";
          } else if (in(NEWLINE, c)) {
            state = "PRE_KEY";
          }
          break;
        case "COMMENT_ESCAPE":
          if (dialect == Dialect.V257 && in(NEWLINE, c)) {
            state = "PRE_KEY";
          } else {
            state = "COMMENT";
          }
          break;
        default:
          throw new AssertionError(state);
      }
    }
    if (state.startsWith("PRE_VALUE")
        || state.startsWith("VALUE")
        || state.startsWith("SINGLE_QUOTE")
        || state.startsWith("DOUBLE_QUOTE")) {
      push(pushed, key, lastKeyWhitespace, value, state.equals("VALUE") ? lastValueWhitespace : -1);
    }
    return pushed;
  }

  private static void push(
      Map<String, String> pushed,
      ByteArrayOutputStream key,
      int lastKeyWhitespace,
      ByteArrayOutputStream value,
      int lastValueWhitespace) {
    byte[] k = key.toByteArray();
    byte[] v = value.toByteArray();
    int kn = lastKeyWhitespace >= 0 ? lastKeyWhitespace : k.length;
    int vn = lastValueWhitespace >= 0 ? lastValueWhitespace : v.length;
    pushed.put(
        new String(k, 0, kn, StandardCharsets.UTF_8), new String(v, 0, vn, StandardCharsets.UTF_8));
  }

  private static boolean in(String set, char c) {
    return set.indexOf(c) >= 0;
  }
}
