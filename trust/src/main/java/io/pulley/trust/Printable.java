package io.pulley.trust;

/** Text from a peer made safe to log or show: printable ASCII only, and not too long. */
final class Printable {
  private static final int MAX = 100;

  private Printable() {}

  static String of(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX + 3));
    for (int i = 0; i < text.length() && i < MAX; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (text.length() > MAX) {
      out.append("...");
    }
    return out.toString();
  }
}
