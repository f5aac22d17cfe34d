package io.pulley.controller.manifest;

/** A time of day written "HH:MM" (00:00 to 23:59), as apt and systemd take it. */
final class TimeOfDay {

  private TimeOfDay() {}

  static boolean valid(String text) {
    if (text.length() != 5 || text.charAt(2) != ':') {
      return false;
    }
    int hours = twoDigits(text, 0);
    int minutes = twoDigits(text, 3);
    return hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59;
  }

  /** The number at {@code at}, or -1 unless both characters are digits. */
  private static int twoDigits(String text, int at) {
    char tens = text.charAt(at);
    char ones = text.charAt(at + 1);
    if (tens < '0' || tens > '9' || ones < '0' || ones > '9') {
      return -1;
    }
    return (tens - '0') * 10 + (ones - '0');
  }
}
