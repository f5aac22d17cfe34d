package io.pulley.controller.tracking;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * A version read from a release tag, ordered by Semantic Versioning 2.0's precedence: major, minor
 * and patch numerically; a pre-release ({@code 1.4.0-rc.1}) before its release; build metadata
 * ({@code +build.7}) ignored. Tags commonly leave out the patch ({@code v1.4}), which counts as 0.
 * Immutable.
 */
public record SemanticVersion(
    BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease)
    implements Comparable<SemanticVersion> {
  private static final Pattern DOT = Pattern.compile("\\.");
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  // Numbers without leading zeros, as the specification requires; identifiers of [0-9A-Za-z-].
  private static final Pattern VERSION =
      Pattern.compile(
          "(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?(?:\\.(0|[1-9]\\d*))?"
              + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
              + "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
  private static final Pattern NUMERIC = Pattern.compile("0|[1-9]\\d*");

  public SemanticVersion {
    preRelease = List.copyOf(preRelease);
  }

  /**
   * The version in a tag name: what follows its leading letters and separators ({@code v1.2.3},
   * {@code release-1.2.3}); empty if the rest is not a version.
   */
  public static Optional<SemanticVersion> fromTag(String tag) {
    int start = 0;
    while (start < tag.length() && !Character.isDigit(tag.charAt(start))) {
      start++;
    }
    Matcher m = VERSION.matcher(tag.substring(start));
    if (start == tag.length() || !m.matches()) {
      return Optional.empty();
    }
    for (String identifier : m.group(4) == null ? new String[0] : DOT.split(m.group(4))) {
      if (identifier.length() > 1
          && identifier.startsWith("0")
          && DIGITS.matcher(identifier).matches()) {
        return Optional.empty(); // "01" is not a valid numeric identifier
      }
    }
    return Optional.of(
        new SemanticVersion(
            new BigInteger(m.group(1)),
            m.group(2) == null ? BigInteger.ZERO : new BigInteger(m.group(2)),
            m.group(3) == null ? BigInteger.ZERO : new BigInteger(m.group(3)),
            m.group(4) == null ? List.of() : List.of(DOT.split(m.group(4)))));
  }

  public boolean isPreRelease() {
    return !preRelease.isEmpty();
  }

  @Override
  public int compareTo(SemanticVersion other) {
    int c = major.compareTo(other.major);
    if (c == 0) {
      c = minor.compareTo(other.minor);
    }
    if (c == 0) {
      c = patch.compareTo(other.patch);
    }
    return c != 0 ? c : comparePreRelease(preRelease, other.preRelease);
  }

  private static int comparePreRelease(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      // A release outranks any of its pre-releases.
      return Boolean.compare(a.isEmpty(), b.isEmpty());
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compareIdentifier(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareIdentifier(String a, String b) {
    boolean numericA = NUMERIC.matcher(a).matches();
    boolean numericB = NUMERIC.matcher(b).matches();
    if (numericA && numericB) {
      return new BigInteger(a).compareTo(new BigInteger(b));
    }
    if (numericA != numericB) {
      return numericA ? -1 : 1; // numeric identifiers rank below alphanumeric ones
    }
    return a.compareTo(b); // ASCII order
  }
}
