package io.pulley.packaging.harness;

import java.util.Locale;

/**
 * The Debian releases Pulley supports, each with what its images need: the suite debootstrap
 * fetches and the Java runtime the agent's package depends on (Debian 13 has no OpenJDK 17).
 */
public enum DebianRelease {
  /** Debian 12, oldstable: still supported, a few system tests keep it so. */
  BOOKWORM("12", "bookworm", "openjdk-17-jre-headless"),
  /** Debian 13, the current stable: the default for system tests and the demo. */
  TRIXIE("13", "trixie", "openjdk-21-jre-headless");

  /** The environment variable that picks a release for the demo and benchmarks: 12 or 13. */
  public static final String ENVIRONMENT_VARIABLE = "PULLEY_DEBIAN";

  private final String version;
  private final String suite;
  private final String javaRuntime;

  DebianRelease(String version, String suite, String javaRuntime) {
    this.version = version;
    this.suite = suite;
    this.javaRuntime = javaRuntime;
  }

  public String version() {
    return version;
  }

  public String suite() {
    return suite;
  }

  String javaRuntime() {
    return javaRuntime;
  }

  /** "Debian 13 (trixie)". */
  @Override
  public String toString() {
    return "Debian " + version + " (" + suite + ")";
  }

  /** The release named by its version ("13") or suite ("trixie"). */
  public static DebianRelease named(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (DebianRelease release : values()) {
      if (release.version.equals(wanted) || release.suite.equals(wanted)) {
        return release;
      }
    }
    throw new IllegalArgumentException(
        "unknown Debian release '" + name + "': use 13 (trixie) or 12 (bookworm)");
  }

  /** The release {@link #ENVIRONMENT_VARIABLE} names, or Debian 13 when it is unset. */
  public static DebianRelease fromEnvironment() {
    String value = System.getenv(ENVIRONMENT_VARIABLE);
    return value == null || value.isBlank() ? TRIXIE : named(value);
  }
}
