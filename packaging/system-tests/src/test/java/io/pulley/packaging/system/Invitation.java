package io.pulley.packaging.system;

import io.pulley.testing.JsonText;

/**
 * What a server needs to join the fleet: the controller's address and a bootstrap token (which also
 * pins the controller's CA). The token is a secret: it is written to the server's token file, never
 * put on a command line.
 */
record Invitation(String controller, String token) {
  private static final String FIELD = "\"token\": \"";

  /** The token in {@code pulley -o json token create}'s output {@code out}. */
  static String tokenFromJson(String out, String whyNot) {
    if (!out.contains(FIELD)) {
      throw new IllegalStateException("no token created: " + whyNot);
    }
    return JsonText.field(out, "token");
  }

  @Override
  public String toString() {
    return "invitation to " + controller; // never the token
  }
}
