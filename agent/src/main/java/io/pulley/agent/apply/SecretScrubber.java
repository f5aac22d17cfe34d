package io.pulley.agent.apply;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces secret values in text that leaves the agent (output tails) by {@value #MASK}. Stateless
 * and thread-safe.
 */
public final class SecretScrubber {
  public static final String MASK = "***";

  /**
   * A tail may start in the middle of a secret; a leading piece at least this long that ends a
   * secret is masked too (shorter pieces would mask ordinary text by chance).
   */
  static final int MIN_CUT_PIECE = 4;

  private SecretScrubber() {}

  /** {@code text} with every non-empty value of {@code secrets} masked. */
  public static String scrub(String text, Collection<String> secrets) {
    // Longest first, so a secret containing another is masked whole.
    List<String> values =
        secrets.stream()
            .filter(s -> !s.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    String out = text;
    for (String value : values) {
      out = out.replace(value, MASK);
    }
    for (String value : values) {
      out = maskCutPiece(out, value);
    }
    return out;
  }

  /** Masks the longest end of {@code secret} that {@code text} starts with. */
  private static String maskCutPiece(String text, String secret) {
    for (int from = 1; secret.length() - from >= MIN_CUT_PIECE; from++) {
      String piece = secret.substring(from);
      if (text.startsWith(piece)) {
        return MASK + text.substring(piece.length());
      }
    }
    return text;
  }

  /**
   * {@code text} scrubbed of the secrets of {@code context}, in each of their {@link SecretForms}.
   */
  public static String scrub(String text, ApplyContext context) {
    java.util.Set<String> forms = new java.util.LinkedHashSet<>();
    for (String value : context.secrets().values()) {
      forms.addAll(SecretForms.forms(value));
    }
    return scrub(text, forms);
  }
}
