package io.pulley.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The text of a systemd environment file ({@code EnvironmentFile=}), written by the controller and
 * the agent and read by systemd and the agent: {@link #assignment} writes a value so that systemd
 * reads back exactly its characters, {@link #parse} reads a file as systemd does. Stateless and
 * thread-safe.
 *
 * <p>systemd's parser ({@code parse_env_file_internal} in src/basic/env-file.c) reads a value in
 * double quotes literally except for a backslash, which escapes the next character. Inside double
 * quotes a backslash before {@code "} or {@code \} yields that character in every version that
 * Debian 12 (252) and 13 (257) ship and before (older ones dropped the backslash before any
 * character, newer ones keep it before characters other than {@code "\`$}), so only those two are
 * escaped: {@code $}, {@code #}, {@code ;}, {@code '}, backquotes and blanks at either end are
 * plain characters there, and systemd expands no variable in an environment file. Control
 * characters are refused: versions differ on whether a value may hold them, and a line break ends
 * an assignment outside quotes.
 *
 * <p>Secrets are written into such files by the agent, which replaces {@code ${secret:NAME}}
 * placeholders in the controller's text; a value written by {@link #escaped} therefore never holds
 * the two characters {@code ${} in a row: it closes and reopens its quotes between them ({@code
 * $""{}), which systemd reads as nothing.
 */
public final class EnvironmentFileFormat {

  /** The longest value the stack writes: far below systemd's limit (ARG_MAX). */
  public static final int MAX_VALUE_LENGTH = 32 * 1024;

  private EnvironmentFileFormat() {}

  /** Whether {@code name} is a variable name systemd and a POSIX shell accept. */
  public static boolean isName(String name) {
    if (name.isEmpty() || isDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why {@code value} cannot be written as a value, or empty: a control character (a line break, a
   * tab, NUL), half of a surrogate pair (not UTF-8), or more than {@link #MAX_VALUE_LENGTH}.
   */
  public static Optional<String> valueProblem(String value) {
    if (value.length() > MAX_VALUE_LENGTH) {
      return Optional.of(
          "it is " + value.length() + " characters long, more than " + MAX_VALUE_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return Optional.of("it holds a line break or another control character");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of("it holds half of a surrogate pair, which is no UTF-8");
      }
    }
    return Optional.empty();
  }

  /** {@code NAME="VALUE"} and a newline; the value must have no {@link #valueProblem}. */
  public static String assignment(String name, String value) {
    if (!isName(name)) {
      throw new IllegalArgumentException("not a variable name: \"" + name + "\"");
    }
    return name + "=\"" + escaped(value) + "\"\n";
  }

  /**
   * {@code value} as it goes between double quotes: {@code "} and {@code \} escaped, {@code ${}
   * split by an empty pair of quotes. Refuses a value with a {@link #valueProblem}, without showing
   * it (it may be a secret).
   */
  public static String escaped(String value) {
    Optional<String> problem = valueProblem(value);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("cannot write the value: " + problem.get());
    }
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
      if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
        out.append("\"\"");
      }
    }
    return out.toString();
  }

  /**
   * The assignments of {@code text} as systemd 254 and later read them (252 and 253 differ only
   * after a comment line ending in a backslash, which continued the comment onto the next line):
   * later ones replace earlier ones, and those whose name systemd would refuse are left out.
   */
  public static Map<String, String> parse(String text) {
    return new Reader(text).read();
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A port of systemd's state machine, one character at a time. */
  private static final class Reader {
    private enum State {
      PRE_KEY,
      KEY,
      PRE_VALUE,
      VALUE,
      VALUE_ESCAPE,
      SINGLE_QUOTE,
      DOUBLE_QUOTE,
      DOUBLE_QUOTE_ESCAPE,
      COMMENT,
      COMMENT_ESCAPE
    }

    private static final String SHELL_NEED_ESCAPE = "\"\\`$";

    private final String text;
    private final Map<String, String> assignments = new LinkedHashMap<>();
    private final StringBuilder key = new StringBuilder();
    private final StringBuilder value = new StringBuilder();
    private int keyBlankFrom = -1;
    private int valueBlankFrom = -1;
    private State state = State.PRE_KEY;

    Reader(String text) {
      this.text = text;
    }

    Map<String, String> read() {
      for (int i = 0; i < text.length(); i++) {
        step(text.charAt(i));
      }
      if (state != State.PRE_KEY
          && state != State.KEY
          && state != State.COMMENT
          && state != State.COMMENT_ESCAPE) {
        push(state == State.VALUE);
      }
      return assignments;
    }

    private void step(char c) {
      switch (state) {
        case PRE_KEY -> {
          if (c == '#' || c == ';') {
            state = State.COMMENT;
          } else if (!isBlank(c)) {
            state = State.KEY;
            keyBlankFrom = -1;
            key.append(c);
          }
        }
        case KEY -> {
          if (isNewline(c)) {
            state = State.PRE_KEY;
            key.setLength(0);
          } else if (c == '=') {
            state = State.PRE_VALUE;
            valueBlankFrom = -1;
          } else {
            if (!isBlank(c)) {
              keyBlankFrom = -1;
            } else if (keyBlankFrom < 0) {
              keyBlankFrom = key.length();
            }
            key.append(c);
          }
        }
        case PRE_VALUE -> preValue(c);
        case VALUE -> unquoted(c);
        case VALUE_ESCAPE -> {
          state = State.VALUE;
          if (!isNewline(c)) {
            value.append(c);
          }
        }
        case SINGLE_QUOTE -> {
          if (c == '\'') {
            state = State.PRE_VALUE;
          } else {
            value.append(c);
          }
        }
        case DOUBLE_QUOTE -> {
          if (c == '"') {
            state = State.PRE_VALUE;
          } else if (c == '\\') {
            state = State.DOUBLE_QUOTE_ESCAPE;
          } else {
            value.append(c);
          }
        }
        case DOUBLE_QUOTE_ESCAPE -> {
          state = State.DOUBLE_QUOTE;
          if (SHELL_NEED_ESCAPE.indexOf(c) >= 0) {
            value.append(c);
          } else if (c != '\n') {
            value.append('\\').append(c);
          }
        }
        case COMMENT -> {
          if (c == '\\') {
            state = State.COMMENT_ESCAPE;
          } else if (isNewline(c)) {
            state = State.PRE_KEY;
          }
        }
        case COMMENT_ESCAPE -> state = isNewline(c) ? State.PRE_KEY : State.COMMENT;
      }
    }

    private void preValue(char c) {
      if (isNewline(c)) {
        state = State.PRE_KEY;
        push(false);
      } else if (c == '\'') {
        state = State.SINGLE_QUOTE;
      } else if (c == '"') {
        state = State.DOUBLE_QUOTE;
      } else if (c == '\\') {
        state = State.VALUE_ESCAPE;
      } else if (!isBlank(c)) {
        state = State.VALUE;
        value.append(c);
      }
    }

    private void unquoted(char c) {
      if (isNewline(c)) {
        state = State.PRE_KEY;
        push(true);
      } else if (c == '\\') {
        state = State.VALUE_ESCAPE;
        valueBlankFrom = -1;
      } else {
        if (!isBlank(c)) {
          valueBlankFrom = -1;
        } else if (valueBlankFrom < 0) {
          valueBlankFrom = value.length();
        }
        value.append(c);
      }
    }

    /** Ends an assignment; an unquoted value loses its trailing blanks, a key always does. */
    private void push(boolean chompValue) {
      if (chompValue && valueBlankFrom >= 0) {
        value.setLength(valueBlankFrom);
      }
      if (keyBlankFrom >= 0) {
        key.setLength(keyBlankFrom);
      }
      String name = key.toString();
      if (isName(name)) {
        assignments.put(name, value.toString());
      }
      key.setLength(0);
      value.setLength(0);
      keyBlankFrom = -1;
      valueBlankFrom = -1;
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isNewline(char c) {
      return c == '\n' || c == '\r';
    }
  }
}
