package io.pulley.agent.logging;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.util.List;

/**
 * One event, one line: {@code LEVEL logger - message}, the message's line breaks as spaces, then
 * the exception's short trace (Logback's own {@code %ex{short}}) with its lines joined by {@code "
 * | "}. Written as a layout, not a pattern: Logback's pattern parser and its converter table would
 * load about 110 classes into an agent that idles for weeks (docs/benchmarks.md).
 */
final class OneLineLayout extends LayoutBase<ILoggingEvent> {
  private static final int LEVEL_WIDTH = 5;
  private static final int LOGGER_LENGTH = 36;
  private static final String LINE_JOIN = " | ";

  private final TargetLengthBasedClassNameAbbreviator abbreviator =
      new TargetLengthBasedClassNameAbbreviator(LOGGER_LENGTH);
  private final ThrowableProxyConverter shortTrace = new ThrowableProxyConverter();

  @Override
  public void start() {
    shortTrace.setContext(getContext());
    shortTrace.setOptionList(List.of("short"));
    shortTrace.start();
    super.start();
  }

  @Override
  public void stop() {
    shortTrace.stop();
    super.stop();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160);
    line.append(event.getLevel());
    while (line.length() < LEVEL_WIDTH) {
      line.append(' ');
    }
    line.append(' ').append(abbreviator.abbreviate(event.getLoggerName())).append(" - ");
    String message = event.getFormattedMessage();
    appendLines(line, message == null ? "null" : message, " ", false); // as %msg wrote it
    if (event.getThrowableProxy() != null) {
      String trace = shortTrace.convert(event).strip();
      if (!trace.isEmpty()) {
        line.append(' ');
        appendLines(line, trace, LINE_JOIN, true);
      }
    }
    return line.append(CoreConstants.LINE_SEPARATOR).toString();
  }

  /**
   * {@code text} with each run of line breaks replaced by {@code join}; with {@code trimLines}, the
   * blanks around each break go too (a trace's indentation).
   */
  static void appendLines(StringBuilder line, String text, String join, boolean trimLines) {
    int i = 0;
    while (i < text.length()) {
      int lineEnd = i;
      while (lineEnd < text.length() && !isBreak(text.charAt(lineEnd))) {
        lineEnd++;
      }
      int next = lineEnd;
      while (next < text.length() && isBreak(text.charAt(next))) {
        next++;
      }
      int from = i;
      int to = lineEnd;
      if (trimLines) {
        while (from < to && Character.isWhitespace(text.charAt(from))) {
          from++;
        }
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
          to--;
        }
      }
      line.append(text, from, to);
      if (next < text.length()) {
        line.append(join);
      }
      i = next;
    }
  }

  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r';
  }
}
