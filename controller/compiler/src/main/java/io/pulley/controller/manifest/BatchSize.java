package io.pulley.controller.manifest;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.Optional;

/**
 * How many hosts one batch of a rollout takes after the canary: a count ("2") or a share of the
 * rollout's hosts ("25%"), or, when the policy gives none, every host that is left. Immutable.
 */
public sealed interface BatchSize {
  Pattern COUNT = Pattern.compile("[1-9]\\d{0,5}");
  Pattern PERCENT = Pattern.compile("([1-9]\\d?|100)%");

  /** The hosts a batch takes out of {@code total} in the rollout; always at least one. */
  int of(int total);

  /** A fixed number of hosts per batch. */
  record Count(int hosts) implements BatchSize {
    @Override
    public int of(int total) {
      return hosts;
    }
  }

  /** A share of the rollout's hosts per batch, rounded up, so 10% of 3 hosts is one host. */
  record Percent(int percent) implements BatchSize {
    @Override
    public int of(int total) {
      return Math.max(1, (int) Math.ceil(total * percent / 100.0));
    }
  }

  /** Everything left after the canary, in one batch. */
  record Rest() implements BatchSize {
    @Override
    public int of(int total) {
      return Math.max(1, total);
    }
  }

  /**
   * Reads a manifest's {@code rollout.batch}: empty for every host that is left, "N" for N hosts (1
   * to 999999), "P%" for P percent (1 to 100); empty if it is neither.
   */
  public static Optional<BatchSize> parse(String text) {
    if (text.isEmpty()) {
      return Optional.of(new Rest());
    }
    if (COUNT.matcher(text).matches()) {
      return Optional.of(new Count(Integer.parseInt(text)));
    }
    Matcher percent = PERCENT.matcher(text);
    if (percent.matches()) {
      return Optional.of(new Percent(Integer.parseInt(percent.group(1))));
    }
    return Optional.empty();
  }
}
