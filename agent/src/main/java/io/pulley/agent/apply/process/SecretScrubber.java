package io.pulley.agent.apply.process;

import java.util.Collection;

/** Masks secret values in text bound for a report or a log line. Stateless and thread-safe. */
public final class SecretScrubber {
  static final String MASK = "********";

  private SecretScrubber() {}

  /** {@code text} with every non-empty value of {@code secrets} replaced by a mask. */
  public static String scrub(String text, Collection<String> secrets) {
    String out = text;
    for (String value : secrets) {
      if (!value.isEmpty()) {
        out = out.replace(value, MASK);
      }
    }
    return out;
  }
}
