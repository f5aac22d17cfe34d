package io.pulley.wire;

import java.time.Duration;
import java.util.Optional;

/**
 * Durations as operators type them on command lines: a number and a unit, "90s", "30m", "12h" or
 * "7d". The controller's options and the CLI's share this one reading; each says its own error.
 */
public final class Durations {
  private Durations() {}

  /**
   * {@code text} read, or empty when it is not a number of at most {@code maxDigits} ASCII digits
   * and a unit.
   *
   * @param maxDigits at most 9, so that any number it admits is a valid duration in every unit
   */
  public static Optional<Duration> parse(String text, int maxDigits) {
    if (maxDigits < 1 || maxDigits > 9) {
      throw new IllegalArgumentException("maxDigits must be 1 to 9, got " + maxDigits);
    }
    if (text.length() < 2) {
      return Optional.empty();
    }
    String digits = text.substring(0, text.length() - 1);
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > maxDigits) {
      return Optional.empty();
    }
    long amount = Long.parseLong(digits);
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Optional.of(Duration.ofSeconds(amount));
      case 'm' -> Optional.of(Duration.ofMinutes(amount));
      case 'h' -> Optional.of(Duration.ofHours(amount));
      case 'd' -> Optional.of(Duration.ofDays(amount));
      default -> Optional.empty();
    };
  }
}
