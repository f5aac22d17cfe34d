package io.pulley.agent.apply.command;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads Python's "No module named 'X'" in a failed command's output and says what usually fixes it
 * on a server without a package index: the Debian package that provides the module. Stateless.
 */
final class MissingModule {
  private static final String MARKER = "No module named '";
  private static final int MAX_NAME = 100;

  private MissingModule() {}

  /** A sentence to add to the failure's reason, or empty when the output names no module. */
  static Optional<String> hint(String output) {
    int at = output.lastIndexOf(MARKER);
    if (at < 0) {
      return Optional.empty();
    }
    int start = at + MARKER.length();
    int end = output.indexOf('\'', start);
    if (end <= start || end - start > MAX_NAME) {
      return Optional.empty();
    }
    String module = output.substring(start, end);
    if (!module.chars().allMatch(c -> c == '.' || c == '_' || isAsciiAlphanumeric(c))) {
      return Optional.empty();
    }
    String top = module.contains(".") ? module.substring(0, module.indexOf('.')) : module;
    String guess = "python3-" + top.toLowerCase(Locale.ROOT).replace('_', '-');
    return Optional.of(
        "Python cannot import "
            + top
            + ": add the Debian package that provides it to stack.packages (often "
            + guess
            + "; `apt-file search "
            + top
            + "/__init__.py` names it), or to the requirements");
  }

  private static boolean isAsciiAlphanumeric(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
