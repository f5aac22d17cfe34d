package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;

/**
 * The shapes of the names that end up on a host (accounts, packages, units, databases, secrets):
 * each check reports one mistake with the rule spelled out. Not thread-safe: one per compilation.
 */
final class Names {

  static final Pattern ACCOUNT = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  // An owner or group may also be a machine account, ending in '$' (Samba's).
  static final Pattern OWNER = Pattern.compile("[a-z_][a-z0-9_-]*[$]?");
  // Debian Policy 5.6.1: lower case letters, digits, '+', '-', '.'; at least two characters.
  static final Pattern DEBIAN_PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
  static final Pattern SECRET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  static final Pattern UNIT = Pattern.compile("[A-Za-z0-9_.@:-]+\\.(service|socket|timer|path)");
  static final Pattern SQL_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  static final Pattern EXTENSION = Pattern.compile("[a-z_][a-z0-9_-]{0,62}");

  private final Checks checks;

  Names(Checks checks) {
    this.checks = checks;
  }

  void account(String field, String what, String name, boolean required) {
    if (name.isEmpty()) {
      if (required) {
        checks.fail(field, what + " is required, such as \"www-data\"");
      }
    } else if (!ACCOUNT.matcher(name).matches()) {
      notAccount(field, what, name, "");
    }
  }

  /** The owner or group a file or directory gets; empty leaves it as it is. */
  void ownerOrGroup(String field, String what, String name) {
    if (!name.isEmpty() && (name.length() > 32 || !OWNER.matcher(name).matches())) {
      notAccount(field, what, name, " (or leave it empty)");
    }
  }

  private void notAccount(String field, String what, String name, String tail) {
    checks.fail(
        field,
        what
            + " "
            + quote(name)
            + " is not a valid name; use lower-case letters, digits, \"_\" and \"-\","
            + " starting with a letter or \"_\", at most 32 characters"
            + tail);
  }

  void debianPackage(String field, String name) {
    if (!DEBIAN_PACKAGE.matcher(name).matches()) {
      checks.fail(
          field,
          "package name "
              + quote(name)
              + " is not a Debian package name; use lower-case letters, digits, \"+\", \"-\""
              + " and \".\", starting with a letter or digit, at least two characters");
    }
  }

  void secret(String field, String name, boolean required) {
    if (name.isEmpty()) {
      if (required) {
        checks.fail(field, "a secret name is required, such as \"database-password\"");
      }
    } else if (!SECRET.matcher(name).matches()) {
      checks.fail(
          field,
          "secret name "
              + quote(name)
              + " is not valid; use letters, digits, \"_\", \".\" and \"-\", starting with a"
              + " letter or digit, at most 63 characters");
    }
  }

  void unit(String field, String name) {
    if (name.isEmpty()) {
      checks.fail(field, "a unit name is required, such as \"nginx.service\"");
    } else if (name.length() > 255 || !UNIT.matcher(name).matches()) {
      checks.fail(
          field,
          "unit name "
              + quote(name)
              + " is not valid; use letters, digits, \"_\", \".\", \"@\", \":\" and \"-\","
              + " ending in a unit type such as \".service\"");
    }
  }

  void sqlIdentifier(String field, String what, String name, boolean required) {
    if (name.isEmpty()) {
      if (required) {
        checks.fail(field, what + " is required, such as \"hello\"");
      }
    } else if (!SQL_IDENTIFIER.matcher(name).matches()) {
      checks.fail(
          field,
          what
              + " "
              + quote(name)
              + " is not valid; use lower-case letters, digits and \"_\", starting with a"
              + " letter or \"_\", at most 63 characters");
    }
  }

  void extension(String field, String name) {
    if (!EXTENSION.matcher(name).matches()) {
      checks.fail(
          field,
          "extension "
              + quote(name)
              + " is not valid; use lower-case letters, digits, \"_\" and \"-\", such as"
              + " \"uuid-ossp\"");
    }
  }
}
