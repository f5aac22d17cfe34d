package io.pulley.controller.manifest;

import com.google.re2j.Pattern;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The rules for a path on a host: absolute and already normalised, so that the path an admin reads
 * in a manifest is the path the agent writes, and two spellings never name one file.
 */
final class AbsolutePath {
  private static final Pattern SLASH = Pattern.compile("/");

  private AbsolutePath() {}

  /** What is wrong with {@code path}, or empty if it is an absolute, normalised path. */
  static Optional<String> problem(String path) {
    if (path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
      return Optional.of("path " + quoted(path) + " contains a NUL or line break");
    }
    if (!path.startsWith("/")) {
      return Optional.of(
          "path "
              + quoted(path)
              + " is relative; use an absolute path such as "
              + quoted(normalize("/" + path)));
    }
    if (!path.equals(normalize(path))) {
      return Optional.of(
          "path "
              + quoted(path)
              + " is not normalised (no \".\" or \"..\" segments, no \"//\", no trailing \"/\");"
              + " write "
              + quoted(normalize(path)));
    }
    return Optional.empty();
  }

  /** Resolves "." and ".." lexically and drops empty segments; ".." above the root stays there. */
  static String normalize(String path) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : SLASH.split(path)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    return "/" + String.join("/", segments);
  }

  private static String quoted(String text) {
    return ProtoNodeReader.quote(text);
  }
}
