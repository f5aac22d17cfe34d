package io.pulley.agent.config;

import java.time.Duration;

/**
 * Parses intervals as the configuration file and flags write them: whole seconds ({@code 1800}) or
 * a number with a unit ({@code 90s}, {@code 30m}, {@code 2h}). Stateless and thread-safe.
 */
public final class Interval {
  private static final int MAX_DIGITS = 9;

  private Interval() {}

  /**
   * @throws IllegalArgumentException naming the bad text
   */
  public static Duration parse(String text) {
    // Read by hand, not with a pattern: the agent parses this at start, and a regex engine's
    // classes would stay loaded in a daemon that then idles for weeks.
    String form = text.strip();
    char unit = form.isEmpty() ? ' ' : form.charAt(form.length() - 1);
    String digits = "smh".indexOf(unit) >= 0 ? form.substring(0, form.length() - 1) : form;
    if (digits.isEmpty() || digits.length() > MAX_DIGITS || !asciiDigits(digits)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an interval (seconds, or a number with s, m or h, such as 30m)");
    }
    long n = Long.parseLong(digits);
    return switch (unit) {
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static boolean asciiDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
