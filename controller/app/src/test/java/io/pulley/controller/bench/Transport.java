package io.pulley.controller.bench;

import java.util.List;
import java.util.Locale;

/** How the simulated agents reach the controller in one run. */
enum Transport {
  /** {@code serve --insecure}: plaintext, nobody authenticated. */
  PLAINTEXT,
  /** The default controller: every agent an enrolled host with its own client certificate. */
  MTLS;

  /** "plaintext", "mtls" or "both" (plaintext first, so each pair of rows reads as a ratio). */
  static List<Transport> parse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "plaintext" -> List.of(PLAINTEXT);
      case "mtls" -> List.of(MTLS);
      case "both" -> List.of(PLAINTEXT, MTLS);
      default ->
          throw new IllegalArgumentException(
              "--transport must be mtls, plaintext or both, got \"" + value + "\"");
    };
  }

  /** The word used in tables and logs. */
  String label() {
    return this == MTLS ? "mTLS" : "plaintext";
  }
}
