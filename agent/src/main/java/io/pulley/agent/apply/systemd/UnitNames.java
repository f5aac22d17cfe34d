package io.pulley.agent.apply.systemd;

import com.google.re2j.Pattern;
import java.util.Optional;

/** The grammar of the systemd unit names a Service may name. Stateless and thread-safe. */
final class UnitNames {
  // systemd's unit-name characters, an optional template instance, and a unit type suffix.
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9_:.\\\\-]+(@[A-Za-z0-9_:.\\\\-]+)?\\.(service|socket|timer|path)");
  private static final int MAX_LENGTH = 255;

  private UnitNames() {}

  /** Empty if {@code name} is a valid unit name, else why not. */
  static Optional<String> refusal(String name) {
    if (name.length() <= MAX_LENGTH
        && NAME.matcher(name).matches()
        && !name.startsWith("-")
        && !name.startsWith(".")) {
      return Optional.empty();
    }
    return Optional.of(
        "unit name '"
            + name
            + "' is not valid (letters, digits, _ : . \\ -, optionally @instance, ending in"
            + " .service, .socket, .timer or .path)");
  }
}
