package io.pulley.agent.apply.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * A short line diff for drift reports: the first lines that differ between what the agent wrote
 * ({@code -}) and what it found ({@code +}), common leading and trailing lines left out. Stateless
 * and thread-safe.
 */
final class LineDiff {
  static final int MAX_LINES = 10;

  private LineDiff() {}

  static String of(String expected, String found) {
    List<String> a = expected.lines().toList();
    List<String> b = found.lines().toList();
    int start = 0;
    while (start < a.size() && start < b.size() && a.get(start).equals(b.get(start))) {
      start++;
    }
    int endA = a.size();
    int endB = b.size();
    while (endA > start && endB > start && a.get(endA - 1).equals(b.get(endB - 1))) {
      endA--;
      endB--;
    }
    List<String> out = new ArrayList<>();
    out.add("at line " + (start + 1) + ":");
    a.subList(start, endA).forEach(line -> out.add("-" + line));
    b.subList(start, endB).forEach(line -> out.add("+" + line));
    if (out.size() == 1) {
      // Only line endings differ, which lines() hides.
      out.add("(line endings or a final newline differ)");
    }
    if (out.size() > MAX_LINES + 1) {
      int more = out.size() - 1 - MAX_LINES;
      List<String> cut = new ArrayList<>(out.subList(0, MAX_LINES + 1));
      cut.add("… " + more + " more line" + (more == 1 ? "" : "s"));
      return String.join("\n", cut);
    }
    return String.join("\n", out);
  }
}
