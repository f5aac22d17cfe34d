package io.pulley.controller.manifest;

import io.pulley.v1.ManifestError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;

/** Collects the mistakes of one compilation, in the order found. Not thread-safe: one per call. */
final class Problems {

  private final List<ManifestError> errors = new ArrayList<>();

  /** Records a mistake at {@code mark}, whose 0-based line and column become 1-based. */
  void add(String field, Optional<Mark> mark, String reason) {
    ManifestError.Builder error = ManifestError.newBuilder().setField(field).setReason(reason);
    mark.ifPresent(m -> error.setLine(m.getLine() + 1).setColumn(m.getColumn() + 1));
    errors.add(error.build());
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** The mistakes in the order of the text; those without a position come first. */
  List<ManifestError> list() {
    List<ManifestError> sorted = new ArrayList<>(errors);
    sorted.sort(
        Comparator.comparingInt(ManifestError::getLine).thenComparingInt(ManifestError::getColumn));
    return List.copyOf(sorted);
  }

  /**
   * True if a mistake was already recorded for {@code field} or a field that contains it, so a
   * later check does not report the same root cause twice.
   */
  boolean coveredBy(String field) {
    for (ManifestError error : errors) {
      String known = error.getField();
      if (field.equals(known)
          || known.isEmpty()
          || (field.startsWith(known) && isBoundary(field.charAt(known.length())))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBoundary(char c) {
    return c == '.' || c == '[';
  }
}
