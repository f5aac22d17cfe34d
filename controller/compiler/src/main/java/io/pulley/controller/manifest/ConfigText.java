package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;

/**
 * Checks for text that the stack writes into configuration files (nginx, uWSGI, INI, systemd): the
 * injection boundary. A value that could end a line, a directive or a quoted string would let a
 * manifest write configuration it does not show, so such characters are refused, with the field and
 * the rule. Not thread-safe: one per compilation.
 */
final class ConfigText {

  /** Characters of a path written unquoted into nginx, uWSGI and systemd files. */
  static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");

  private final Checks checks;

  ConfigText(Checks checks) {
    this.checks = checks;
  }

  /** One line of text: no line break, no control character. */
  boolean line(String field, String what, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        checks.fail(
            field,
            what
                + " "
                + quote(value)
                + " contains a line break or control character; it is written into a"
                + " configuration file, where that would start a new line");
        return false;
      }
    }
    return true;
  }

  /** An absolute path with only characters that need no quoting in any configuration file. */
  void path(String field, String path, boolean required) {
    if (path.isEmpty()) {
      if (required) {
        checks.fail(field, "a path is required, such as \"/srv/app\"");
      }
      return;
    }
    if (AbsolutePath.problem(path).isPresent()) {
      checks.path(field, path, required);
    } else if (!SAFE_PATH.matcher(path).matches()) {
      checks.fail(
          field,
          "path "
              + quote(path)
              + " contains characters that configuration files would misread; use letters,"
              + " digits, \"/\", \".\", \"_\", \"@\", \"+\" and \"-\"");
    }
  }

  /** A value that must match {@code shape}; {@code rule} says in words what the shape is. */
  boolean matches(String field, String what, String value, Pattern shape, String rule) {
    if (!shape.matcher(value).matches()) {
      checks.fail(field, what + " " + quote(value) + " is not valid; " + rule);
      return false;
    }
    return true;
  }

  /** A number between {@code min} and {@code max}, where 0 always means {@code defaultValue}. */
  void range(String field, int value, int min, int max, int defaultValue) {
    range(field, value, min, max, Integer.toString(defaultValue));
  }

  /** A number between {@code min} and {@code max}, where 0 always means the default. */
  void range(String field, int value, int min, int max, String defaultMeaning) {
    if (value != 0 && (value < min || value > max)) {
      checks.fail(
          field,
          Positions.leaf(field)
              + " is "
              + value
              + "; use "
              + min
              + " to "
              + max
              + " (0 means "
              + defaultMeaning
              + ")");
    }
  }
}
