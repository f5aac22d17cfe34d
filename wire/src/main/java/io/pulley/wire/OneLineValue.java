package io.pulley.wire;

import java.util.Optional;

/**
 * A secret written as the value on one line of a configuration file (Postfix's password table): the
 * controller checks a stored secret with it at apply, the agent again as it writes the file. What
 * would end or blur the line is refused: a line break, a NUL or another control character, and
 * spaces at either end, which such formats strip. Stateless and thread-safe.
 */
public final class OneLineValue {
  private OneLineValue() {}

  /** Why {@code value} cannot be one line's value, in words that never show it; empty if it can. */
  public static Optional<String> problem(String value) {
    if (value.isEmpty()) {
      return Optional.of("it is empty");
    }
    if (!value.strip().equals(value)) {
      return Optional.of("it starts or ends with a space");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("it holds a control character (a line break, a tab or a NUL)");
      }
    }
    return Optional.empty();
  }
}
