package io.pulley.controller.manifest;

import java.util.List;

/**
 * Reports the mistakes semantic checks find, at the position where the field was written, unless
 * the reader already reported a mistake in that field. Not thread-safe: one per compilation.
 */
final class Checks {

  static final String ARGV_REQUIRED = "argv is required: the program and its arguments";

  private final Problems problems;
  private final Positions positions;

  Checks(Problems problems, Positions positions) {
    this.problems = problems;
    this.positions = positions;
  }

  void fail(String field, String reason) {
    if (!problems.coveredBy(field)) {
      problems.add(field, positions.of(field), reason);
    }
  }

  /** Checks an absolute path; an empty one is an error only when {@code required}. */
  void path(String field, String path, boolean required) {
    if (path.isEmpty()) {
      if (required) {
        fail(field, "a path is required, such as \"/srv/app\"");
      }
      return;
    }
    AbsolutePath.problem(path).ifPresent(reason -> fail(field, reason));
  }

  /**
   * Checks an argument list run without a shell: a program first, no NUL anywhere (the kernel would
   * cut the argument there); {@code whenEmpty} says why an empty one is wrong.
   */
  void argv(String field, List<String> argv, String whenEmpty) {
    if (argv.isEmpty()) {
      fail(field, whenEmpty);
      return;
    }
    if (argv.get(0).isEmpty()) {
      fail(field + "[0]", "the program (first argument) is empty");
    }
    for (int i = 0; i < argv.size(); i++) {
      if (argv.get(i).indexOf('\0') >= 0) {
        fail(field + "[" + i + "]", "argument contains a NUL character");
      }
    }
  }

  /** True if {@code field} was written in the YAML, even with an empty value. */
  boolean written(String field) {
    return positions.contains(field);
  }
}
