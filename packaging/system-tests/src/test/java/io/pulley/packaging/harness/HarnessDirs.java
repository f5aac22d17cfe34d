package io.pulley.packaging.harness;

import java.nio.file.Path;

/**
 * Where the harness keeps its files, all under one cache directory so that server copies sit on the
 * same file system as the image they are copied from. The layout is shared with {@code
 * packaging/system-tests/harness/pristine.sh}; keep the two in step.
 *
 * <ul>
 *   <li>{@code images/debian-SUITE-KEY/rootfs}: finished images, never changed after the rename
 *       that completes them;
 *   <li>{@code servers/NAME}: the root file system of a running server, {@code NAME.console} its
 *       console output;
 * </ul>
 *
 * <p>Address claims are not in the cache but in {@link #CLAIMS} ({@code ADDRESS}: one file per
 * server, its name and owner process; {@code hold-…}: one per open {@link TestNetwork.Hold}): the
 * test network is one per machine, whichever cache a run uses, and /run empties at boot as the
 * network does.
 */
record HarnessDirs(Path cache) {

  static final String CACHE_PROPERTY = "pulley.harness.cache";
  static final String CACHE_ENV = "PULLEY_HARNESS_CACHE";
  static final Path DEFAULT_CACHE = Path.of("/var/cache/pulley-harness");
  static final Path CLAIMS = Path.of("/run/pulley-harness/claims");

  HarnessDirs {
    if (!cache.isAbsolute()) {
      throw new IllegalArgumentException("harness cache must be an absolute path: " + cache);
    }
  }

  /** The system property wins over the environment variable, which wins over the default. */
  static HarnessDirs fromEnvironment() {
    String property = System.getProperty(CACHE_PROPERTY);
    if (property != null && !property.isBlank()) {
      return new HarnessDirs(Path.of(property));
    }
    String env = System.getenv(CACHE_ENV);
    if (env != null && !env.isBlank()) {
      return new HarnessDirs(Path.of(env));
    }
    return new HarnessDirs(DEFAULT_CACHE);
  }

  Path images() {
    return cache.resolve("images");
  }

  Path servers() {
    return cache.resolve("servers");
  }

  Path claims() {
    return CLAIMS;
  }

  Path serverRoot(String name) {
    return servers().resolve(name);
  }

  Path console(String name) {
    return servers().resolve(name + ".console");
  }
}
