package io.pulley.controller.manifest;

/**
 * Reports the mistakes semantic checks find, at the position where the field was written, unless
 * the reader already reported a mistake in that field. Not thread-safe: one per compilation.
 */
final class Checks {

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

  /** True if {@code field} was written in the YAML, even with an empty value. */
  boolean written(String field) {
    return positions.contains(field);
  }
}
