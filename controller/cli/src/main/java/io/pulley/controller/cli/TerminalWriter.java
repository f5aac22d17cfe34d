package io.pulley.controller.cli;

import io.pulley.wire.SafeText;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Everything a command prints passes here: text from the controller (reports, facts, error
 * messages) may hold escape sequences an agent put there, and they must not reach the terminal raw.
 * Newlines and tabs pass; every other control character is shown as {@link SafeText} does.
 */
final class TerminalWriter extends FilterWriter {
  private TerminalWriter(Writer out) {
    super(out);
  }

  /** {@code out}, with every control character but newline and tab made visible. */
  static PrintWriter safe(PrintWriter out) {
    return new PrintWriter(new TerminalWriter(out), true);
  }

  @Override
  public void write(int c) throws IOException {
    out.write(SafeText.lines(String.valueOf((char) c)));
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    out.write(SafeText.lines(new String(chars, offset, length)));
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    out.write(SafeText.lines(text.substring(offset, offset + length)));
  }
}
