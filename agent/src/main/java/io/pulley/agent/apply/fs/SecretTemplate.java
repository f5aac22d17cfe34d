package io.pulley.agent.apply.fs;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.SecretForms;
import java.util.Optional;

/**
 * Fills {@code ${secret:NAME}} placeholders of sensitive content with the application's secrets,
 * each through the filters its placeholder names ({@code ${secret:NAME|url|env}}, see {@link
 * SecretForms}). One pass: a filled-in value is never read as a placeholder. Stateless and
 * thread-safe.
 */
final class SecretTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{secret:([^}]*)}");

  /**
   * The filled-in content, or why it cannot be made: the secret the context lacks ({@code
   * missing}), or a filter that cannot write it ({@code problem}). Neither shows a value.
   */
  record Rendered(String content, Optional<String> missing, Optional<String> problem) {}

  private SecretTemplate() {}

  static Rendered render(String template, ApplyContext context) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length());
    while (m.find()) {
      String reference = m.group(1);
      int bar = reference.indexOf('|');
      String name = bar < 0 ? reference : reference.substring(0, bar);
      Optional<String> value = context.secret(name);
      if (value.isEmpty()) {
        return new Rendered("", Optional.of(name), Optional.empty());
      }
      String filled = value.get();
      while (bar >= 0) {
        int next = reference.indexOf('|', bar + 1);
        String filter =
            next < 0 ? reference.substring(bar + 1) : reference.substring(bar + 1, next);
        SecretForms.Filtered filtered = SecretForms.apply(filter, filled);
        if (filtered.problem().isPresent()) {
          return new Rendered(
              "",
              Optional.empty(),
              Optional.of("secret '" + name + "' " + filtered.problem().get()));
        }
        filled = filtered.value();
        bar = next;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(filled));
    }
    m.appendTail(out);
    return new Rendered(out.toString(), Optional.empty(), Optional.empty());
  }
}
