package io.pulley.controller.manifest;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * Where each field path (such as {@code resources[2].file.path}) was written in the YAML text, so
 * that checks made after parsing can still point at a line. Not thread-safe: one per compilation.
 */
final class Positions {

  private final Map<String, Mark> marks = new HashMap<>();

  void put(String path, Optional<Mark> mark) {
    mark.ifPresent(m -> marks.put(path, m));
  }

  boolean contains(String path) {
    return marks.containsKey(path);
  }

  /**
   * The mark of {@code path}, or of the nearest enclosing field that was written: a missing field
   * is reported where its parent is.
   */
  Optional<Mark> of(String path) {
    String current = path;
    while (true) {
      Mark mark = marks.get(current);
      if (mark != null) {
        return Optional.of(mark);
      }
      if (current.isEmpty()) {
        return Optional.empty();
      }
      current = parent(current);
    }
  }

  /** The last field name of {@code path}: "port" for "stack.site.tls.port". */
  static String leaf(String path) {
    String field = path.endsWith("]") ? path.substring(0, path.lastIndexOf('[')) : path;
    return field.substring(field.lastIndexOf('.') + 1);
  }

  static String parent(String path) {
    int cut = path.endsWith("]") ? path.lastIndexOf('[') : path.lastIndexOf('.');
    return cut <= 0 ? "" : path.substring(0, cut);
  }
}
