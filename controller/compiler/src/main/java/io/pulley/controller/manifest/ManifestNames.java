package io.pulley.controller.manifest;

import com.google.re2j.Pattern;
import java.util.Optional;

/**
 * The shape of application and environment names, shared by the manifest and the admin calls that
 * name an application without one (secrets), so both accept exactly the same names. Stateless.
 */
public final class ManifestNames {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private ManifestNames() {}

  /**
   * Why {@code value} is not a valid application or environment name, or empty if it is one.
   *
   * @param field "application" or "environment", as the reason names it
   */
  public static Optional<String> problem(String field, String value) {
    if (value.isEmpty()) {
      return Optional.of(field + " is required, such as \"hello\"");
    }
    if (!NAME.matcher(value).matches()) {
      return Optional.of(
          field
              + " "
              + ProtoNodeReader.quote(value)
              + " is not a valid name; use lower-case letters, digits and \"-\", starting with a"
              + " letter, at most 63 characters");
    }
    return Optional.empty();
  }
}
