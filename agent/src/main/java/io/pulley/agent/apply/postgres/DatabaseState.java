package io.pulley.agent.apply.postgres;

import com.google.re2j.Pattern;
import java.util.Optional;
import java.util.Set;

/**
 * What the server has for one database and its owning role. {@code verifier} is the role's stored
 * password text (empty when none); it is secret-equivalent and never logged. Immutable.
 */
record DatabaseState(
    boolean roleExists,
    boolean roleCanLogin,
    String verifier,
    Optional<String> databaseOwner,
    Set<String> extensions) {
  private static final Pattern NEWLINE = Pattern.compile("\n");
  private static final Pattern BAR = Pattern.compile("\\|");

  static final String ROLE = "role";
  static final String DATABASE = "database";
  static final String EXTENSION = "extension";

  /** Reads the tagged lines the inspection script prints ({@code tag|field|field}). */
  static DatabaseState parse(String output) {
    boolean roleExists = false;
    boolean canLogin = false;
    String verifier = "";
    Optional<String> owner = Optional.empty();
    Set<String> extensions = new java.util.TreeSet<>();
    for (String line : NEWLINE.split(output)) {
      String[] f = BAR.split(line, -1);
      switch (f[0]) {
        case ROLE -> {
          roleExists = true;
          canLogin = f.length > 1 && f[1].equals("t");
          verifier = f.length > 2 ? f[2] : "";
        }
        case DATABASE -> owner = Optional.of(f.length > 1 ? f[1] : "");
        case EXTENSION -> {
          if (f.length > 1) {
            extensions.add(f[1]);
          }
        }
        default -> {
          // psql's own lines, such as "You are now connected to ...".
        }
      }
    }
    return new DatabaseState(roleExists, canLogin, verifier, owner, Set.copyOf(extensions));
  }

  /** Never the verifier. */
  @Override
  public String toString() {
    return "DatabaseState[role="
        + roleExists
        + ", login="
        + roleCanLogin
        + ", owner="
        + databaseOwner
        + ", extensions="
        + extensions
        + "]";
  }
}
