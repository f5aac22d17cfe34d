package io.pulley.controller.tracking;

import com.google.re2j.Pattern;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which tag of a remote is the release to deploy: among the tags whose names match a glob ({@code
 * *} any run of characters, {@code ?} one character) and read as a version, the one with the
 * highest precedence, pre-releases only when asked for, and never a tag quarantined at the commit
 * it points to. Immutable and thread-safe.
 */
public final class TagRule {
  /** A tag that can be deployed: its name, its version, and the commit it points to. */
  public record Candidate(String tag, SemanticVersion version, String commit) {}

  /** A tag at the commit it pointed to when its release failed. */
  public record Quarantined(String tag, String commit) {}

  // Equal precedence (v1.2 and v1.2.0, or differing build metadata): the name decides, so the
  // choice does not depend on the order the remote listed its refs in.
  private static final Comparator<Candidate> PRECEDENCE =
      Comparator.comparing(Candidate::version).thenComparing(Candidate::tag);

  private final String glob;
  private final Pattern pattern;
  private final boolean preReleases;

  public TagRule(String glob, boolean preReleases) {
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("a tag pattern must not be empty");
    }
    this.glob = glob;
    this.pattern = compile(glob);
    this.preReleases = preReleases;
  }

  /**
   * The newest deployable tag among {@code tags} (name to the commit it points to, annotated tags
   * already peeled), skipping {@code quarantined}.
   */
  public Optional<Candidate> newest(Map<String, String> tags, Set<Quarantined> quarantined) {
    return tags.entrySet().stream()
        .filter(t -> pattern.matcher(t.getKey()).matches())
        .filter(t -> !quarantined.contains(new Quarantined(t.getKey(), t.getValue())))
        .flatMap(
            t ->
                SemanticVersion.fromTag(t.getKey())
                    .filter(v -> preReleases || !v.isPreRelease())
                    .map(v -> new Candidate(t.getKey(), v, t.getValue()))
                    .stream())
        .max(PRECEDENCE);
  }

  /** Whether {@code tag}'s name matches the rule's glob. */
  public boolean matches(String tag) {
    return pattern.matcher(tag).matches();
  }

  @Override
  public String toString() {
    return "tags " + glob + (preReleases ? " (pre-releases too)" : "");
  }

  private static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
