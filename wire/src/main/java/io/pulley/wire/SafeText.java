package io.pulley.wire;

/**
 * Text from another party made safe to store, log and print on a terminal: control characters (C0,
 * DEL, C1, and the Unicode line separators and bidirectional overrides) are shown as visible
 * placeholders, so an escape sequence in an agent's report cannot move the cursor, recolour or
 * retitle the admin's terminal. Stateless and thread-safe.
 */
public final class SafeText {
  /** Appended where text was cut. */
  public static final String CUT_MARKER = " …[cut]";

  /** The longest {@link #excerpt}. */
  public static final int EXCERPT = 100;

  private SafeText() {}

  /** {@code text} on one line: every control character, newlines and tabs too, replaced. */
  public static String line(String text) {
    return replaceControls(text, false);
  }

  /** {@code text} keeping its newlines and tabs; every other control character replaced. */
  public static String lines(String text) {
    return replaceControls(text, true);
  }

  /** {@code text} cut to at most {@code max} characters, {@link #CUT_MARKER} included. */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int keep = Math.max(0, max - CUT_MARKER.length());
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + CUT_MARKER;
  }

  /** What {@link #cutMiddle} puts where it cut. */
  public static final String MIDDLE_MARKER = " … ";

  /**
   * {@code text} cut to at most {@code max} characters by dropping its middle: a reason's end often
   * holds the cause ("…/app/venv/lib: No space left on device"), its start what failed, so both
   * stay.
   */
  public static String cutMiddle(String text, int max) {
    return cutMiddle(text, max, Math.max(0, max - MIDDLE_MARKER.length()) / 2);
  }

  /**
   * {@code text} cut to at most {@code max} characters by dropping its middle, keeping its first
   * {@code head} characters and as many of its last as still fit.
   */
  public static String cutMiddle(String text, int max, int head) {
    if (text.length() <= max) {
      return text;
    }
    int keep = Math.max(0, max - MIDDLE_MARKER.length());
    head = Math.min(Math.max(0, head), keep);
    int tail = keep - head;
    if (head > 0 && Character.isHighSurrogate(text.charAt(head - 1))) {
      head--;
    }
    int tailStart = text.length() - tail;
    if (tail > 0 && Character.isLowSurrogate(text.charAt(tailStart))) {
      tailStart++;
    }
    return text.substring(0, head) + MIDDLE_MARKER + text.substring(tailStart);
  }

  /**
   * A short excerpt of a value a peer sent, for an error message that quotes it: on one line, at
   * most {@value #EXCERPT} characters.
   */
  public static String excerpt(String text) {
    return line(cut(text, EXCERPT));
  }

  /** True if {@code c} would be replaced by {@link #lines}. */
  public static boolean isControl(char c) {
    return c < 0x20 && c != '\n' && c != '\t'
        || c >= 0x7f && c <= 0x9f
        || c == '\u2028'
        || c == '\u2029'
        || c >= '\u202a' && c <= '\u202e'
        || c >= '\u2066' && c <= '\u2069';
  }

  private static String replaceControls(String text, boolean keepLines) {
    int first = 0;
    while (first < text.length() && !replaced(text.charAt(first), keepLines)) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder safe = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!replaced(c, keepLines)) {
        safe.append(c);
      } else if (c == '\n' || c == '\t') {
        safe.append(' ');
      } else if (c < 0x20) {
        safe.append('^').append((char) (c + 0x40)); // caret notation: ESC is ^[
      } else if (c == 0x7f) {
        safe.append("^?");
      } else {
        safe.append('\uFFFD');
      }
    }
    return safe.toString();
  }

  private static boolean replaced(char c, boolean keepLines) {
    return isControl(c) || !keepLines && (c == '\n' || c == '\t');
  }
}
