package io.pulley.agent.config;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.time.Duration;

/**
 * Parses intervals as the configuration file and flags write them: whole seconds ({@code 1800}) or
 * a number with a unit ({@code 90s}, {@code 30m}, {@code 2h}). Stateless and thread-safe.
 */
public final class Interval {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})([smh]?)");

  private Interval() {}

  /**
   * @throws IllegalArgumentException naming the bad text
   */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an interval (seconds, or a number with s, m or h, such as 30m)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
