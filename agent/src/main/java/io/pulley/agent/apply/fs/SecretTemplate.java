package io.pulley.agent.apply.fs;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import java.util.Optional;

/**
 * Fills {@code ${secret:NAME}} placeholders of sensitive content with the application's secrets,
 * and scrubs secret values out of text that leaves the host. Stateless and thread-safe.
 */
final class SecretTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{secret:([^}]*)}");

  /** The filled-in content, or the name of the first secret the context lacks. */
  record Rendered(String content, Optional<String> missing) {}

  private SecretTemplate() {}

  static Rendered render(String template, ApplyContext context) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length());
    while (m.find()) {
      Optional<String> value = context.secret(m.group(1));
      if (value.isEmpty()) {
        return new Rendered("", Optional.of(m.group(1)));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value.get()));
    }
    m.appendTail(out);
    return new Rendered(out.toString(), Optional.empty());
  }
}
