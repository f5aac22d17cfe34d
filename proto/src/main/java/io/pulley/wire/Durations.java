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
   * {@code text} read, or empty when it is not a number of at most {@code maxDigits} and a unit.
   */
  public static Optional<Duration> parse(String text, int maxDigits) {
    if (text.length() < 2) {
      return Optional.empty();
    }
    String digits = text.substring(0, text.length() - 1);
    if (!digits.chars().allMatch(Character::isDigit) || digits.length() > maxDigits) {
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
