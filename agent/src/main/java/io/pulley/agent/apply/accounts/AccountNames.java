package io.pulley.agent.apply.accounts;

import com.google.re2j.Pattern;
import java.util.Optional;

/** The grammar of user and group names that Pulley manages. Stateless and thread-safe. */
public final class AccountNames {
  // Debian's useradd default NAME_REGEX, without the trailing "$" of Samba machine accounts.
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

  private AccountNames() {}

  /**
   * Empty if {@code name} is a valid account name, else why not.
   *
   * @param what what the name names, such as "user" or "group", for the reason
   */
  public static Optional<String> refusal(String what, String name) {
    if (NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        what
            + " name '"
            + name
            + "' is not valid (1 to 32 of a-z, 0-9, _ and -, starting with a letter or _)");
  }
}
