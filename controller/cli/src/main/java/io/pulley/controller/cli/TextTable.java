package io.pulley.controller.cli;

import io.pulley.wire.SafeText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by two spaces, like kubectl and docker print. */
final class TextTable {
  static final int MAX_CELL_CHARS = 120;

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  TextTable(String... headers) {
    this.columns = headers.length;
    rows.add(headers);
  }

  TextTable row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
    }
    String[] text = new String[columns];
    for (int i = 0; i < columns; i++) {
      text[i] = cells[i] == null ? "" : oneLine(cells[i].toString());
    }
    rows.add(text);
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  /**
   * Table cells are one line: a multi-line reason would break the columns, and control characters
   * from the controller's answers would reach the terminal. A cell over 120 characters is cut at
   * its end.
   */
  static String oneLine(String text) {
    String safe = flat(text);
    return safe.length() > MAX_CELL_CHARS ? safe.substring(0, MAX_CELL_CHARS - 3) + "..." : safe;
  }

  /**
   * A failure's reason as one cell: cut in its middle, not at its end, as it starts with its cause
   * and what failed ("No space left on device", "the site failed after the switch to X, switched
   * back to Y") and ends with what it happened to (the file). The start keeps three quarters.
   */
  static String reason(String text) {
    int keep = MAX_CELL_CHARS - SafeText.MIDDLE_MARKER.length();
    return SafeText.cutMiddle(flat(text), MAX_CELL_CHARS, keep * 3 / 4);
  }

  private static String flat(String text) {
    StringBuilder flat = new StringBuilder();
    for (String line : (Iterable<String>) text.strip().lines()::iterator) {
      if (flat.length() > 0) {
        flat.append(" ⏎ ");
      }
      flat.append(line.strip());
    }
    return SafeText.line(flat.toString());
  }
}
