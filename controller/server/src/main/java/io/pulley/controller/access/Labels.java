package io.pulley.controller.access;

import java.util.Map;

/** Bounds on labels an admin binds to hosts: they are keys of plan caches and rows of tables. */
final class Labels {
  static final int MAX_COUNT = 64;
  static final int MAX_KEY = 63;
  static final int MAX_VALUE = 253;

  private Labels() {}

  /** Why {@code labels} cannot be bound, or null. Checked by scanning: linear in the input. */
  static String problem(Map<String, String> labels) {
    if (labels.size() > MAX_COUNT) {
      return "at most " + MAX_COUNT + " labels, got " + labels.size();
    }
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String problem = problem(label.getKey(), MAX_KEY, false);
      if (problem == null) {
        problem = problem(label.getValue(), MAX_VALUE, true);
      }
      if (problem != null) {
        return "label " + (label.getKey().length() <= MAX_KEY ? label.getKey() : "") + problem;
      }
    }
    return null;
  }

  private static String problem(String text, int max, boolean mayBeEmpty) {
    if (text.isEmpty() && !mayBeEmpty) {
      return ": a key is required";
    }
    if (text.length() > max) {
      return ": at most " + max + " characters";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || c == '/';
      if (!ok) {
        return ": letters, digits, '.', '_', '-' and '/' only";
      }
    }
    return null;
  }

  /** "role=web,tier=1" in key order, or "none": checked labels, for the access trail. */
  static String describe(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> label : new java.util.TreeMap<>(labels).entrySet()) {
      text.append(text.length() == 0 ? "" : ",").append(label.getKey()).append('=');
      text.append(label.getValue());
    }
    return text.toString();
  }

  /** Throws INVALID if {@code labels} cannot be bound. */
  static void check(Map<String, String> labels) {
    String problem = problem(labels);
    if (problem != null) {
      throw AccessException.invalid(problem);
    }
  }
}
