package io.pulley.agent.apply;

import io.pulley.wire.EnvironmentFileFormat;
import io.pulley.wire.OneLineValue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The forms a secret takes in a sensitive file: as it is ({@code ${secret:NAME}}), or through the
 * filters a placeholder names after a bar, applied left to right ({@code ${secret:NAME|url|env}}):
 * {@code url} percent-encodes it for a URL's user information or path, {@code env} writes it
 * between the double quotes of a systemd environment file, {@code line} writes it as it is but
 * refuses what would end or blur a line of a configuration file (a line break, a NUL, other control
 * characters, surrounding spaces). Stateless and thread-safe.
 */
public final class SecretForms {
  public static final String URL = "url";
  public static final String ENV = "env";
  public static final String LINE = "line";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SecretForms() {}

  /** The value through {@code filter}, or why it cannot be written so (never showing it). */
  public static Filtered apply(String filter, String value) {
    return switch (filter) {
      case URL -> new Filtered(percentEncoded(value), Optional.empty());
      case ENV -> {
        Optional<String> problem = EnvironmentFileFormat.valueProblem(value);
        yield problem.isPresent()
            ? new Filtered("", Optional.of("cannot be an environment variable: " + problem.get()))
            : new Filtered(EnvironmentFileFormat.escaped(value), Optional.empty());
      }
      case LINE -> {
        Optional<String> problem = OneLineValue.problem(value);
        yield problem.isPresent()
            ? new Filtered("", Optional.of("cannot be one line's value: " + problem.get()))
            : new Filtered(value, Optional.empty());
      }
      default ->
          new Filtered(
              "", Optional.of("has an unknown filter \"" + filter + "\" (use url, env or line)"));
    };
  }

  /** A filter's output, or the problem (which names no value). */
  public record Filtered(String value, Optional<String> problem) {}

  /**
   * Every form {@code value} may take in a file and so in a process's output: as it is, and
   * percent-encoded (as in a database URL), so that output is scrubbed of each.
   */
  public static Set<String> forms(String value) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(value);
    forms.add(percentEncoded(value));
    return forms;
  }

  /** Every UTF-8 byte but RFC 3986's unreserved characters as %XX. */
  static String percentEncoded(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }
}
