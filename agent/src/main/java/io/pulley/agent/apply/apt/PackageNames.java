package io.pulley.agent.apply.apt;

import com.google.re2j.Pattern;
import java.util.Optional;

/** Debian's package-name grammar (Policy 5.6.1). Stateless and thread-safe. */
final class PackageNames {
  // Lowercase letters, digits, "+", "-" and "."; at least two characters; alphanumeric first.
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

  private PackageNames() {}

  /** Empty if {@code name} is a valid Debian package name, else why not. */
  static Optional<String> refusal(String name) {
    if (NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "package name '"
            + name
            + "' is not valid (2 or more of a-z, 0-9, +, - and ., starting with a letter or"
            + " digit)");
  }
}
