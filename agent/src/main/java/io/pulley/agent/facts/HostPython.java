package io.pulley.agent.facts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The python3 the host's Debian release makes the default: {@code /usr/bin/python3} resolved to the
 * interpreter it points at ({@code python3.11} on Debian 12, {@code python3.13} on 13). That is the
 * one the release's uWSGI python3 plugin embeds, so a virtualenv made with it loads in uWSGI.
 * Resolved on every call: a release upgrade changes it. Thread-safe.
 */
public final class HostPython {
  public static final Path LINK = Path.of("/usr/bin/python3");

  private final Path link;

  public HostPython() {
    this(LINK);
  }

  /** For tests: the link read instead of the system's. */
  public HostPython(Path link) {
    this.link = link;
  }

  /** The interpreter's real path, or empty when the host has no python3. */
  public Optional<Path> resolve() {
    try {
      return Optional.of(link.toRealPath());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** What a plan's empty interpreter means, for error messages. */
  public String describe() {
    return link.toString();
  }
}
