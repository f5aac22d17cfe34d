package io.pulley.packaging.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Debian root file system made by debootstrap and cached under {@code images/} of the harness
 * cache, keyed by a hash of its recipe so that a changed recipe builds a new image. Building takes
 * about a minute, once per machine and recipe; later calls return the cached tree at once.
 *
 * <p>Thread-safe. Two JVMs building at once serialize on a lock file; even without it an image
 * cannot be half-built, because it is built in a temporary directory and renamed into place. {@code
 * pristine.sh} computes the same recipe text and key; keep the two in step.
 */
public final class DebianImage {

  /** Bump when a build step below changes, so every machine rebuilds its image. */
  static final int RECIPE_VERSION = 2;

  /**
   * What every server has besides minbase and a Java runtime. The agent's package depends on a Java
   * runtime and the servers have no route to a package mirror, so the runtime is in the image
   * already ({@link DebianRelease#javaRuntime()}).
   */
  static final List<String> BASE_PACKAGES =
      List.of("systemd", "systemd-sysv", "dbus", "iproute2", "ca-certificates");

  /**
   * Timers that would start apt in the background: they hold the dpkg lock at random moments and
   * try a mirror the servers cannot reach.
   */
  static final List<String> MASKED_UNITS = List.of("apt-daily.timer", "apt-daily-upgrade.timer");

  /** Where the host keeps downloaded packages; shared so each .deb downloads once per machine. */
  static final Path HOST_APT_ARCHIVES = Path.of("/var/cache/apt/archives");

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
  private static final Logger log = LoggerFactory.getLogger(DebianImage.class);

  private final HarnessDirs dirs;
  private final DebianRelease release;
  private final List<String> packages;

  private DebianImage(HarnessDirs dirs, DebianRelease release, List<String> packages) {
    this.dirs = dirs;
    this.release = release;
    this.packages = List.copyOf(new TreeSet<>(packages));
  }

  /** {@code release} with {@link #BASE_PACKAGES} and its Java runtime, in the harness cache. */
  public static DebianImage of(DebianRelease release) {
    List<String> packages = new ArrayList<>(BASE_PACKAGES);
    packages.add(release.javaRuntime());
    return new DebianImage(HarnessDirs.fromEnvironment(), release, packages);
  }

  /**
   * {@code release} with {@link #BASE_PACKAGES} only: no Java, for the agent package that brings
   * its own runtime (and so that a test can tell it needs none).
   */
  public static DebianImage withoutJava(DebianRelease release) {
    return new DebianImage(HarnessDirs.fromEnvironment(), release, BASE_PACKAGES);
  }

  /** Debian 12 (oldstable), for the tests that keep it supported. */
  public static DebianImage bookworm() {
    return of(DebianRelease.BOOKWORM);
  }

  /** Debian 13 (the current stable), the default server of system tests. */
  public static DebianImage trixie() {
    return of(DebianRelease.TRIXIE);
  }

  public DebianRelease release() {
    return release;
  }

  /** This recipe plus {@code extra} packages (a different image, cached separately). */
  public DebianImage withPackages(String... extra) {
    List<String> all = new ArrayList<>(packages);
    for (String name : extra) {
      if (!name.matches("[a-z0-9][a-z0-9+.-]+")) {
        throw new IllegalArgumentException("not a Debian package name: " + name);
      }
      all.add(name);
    }
    return new DebianImage(dirs, release, all);
  }

  /** The same recipe cached under {@code cache} instead. */
  public DebianImage inCache(Path cache) {
    return new DebianImage(new HarnessDirs(cache), release, packages);
  }

  HarnessDirs dirs() {
    return dirs;
  }

  /** The recipe's canonical text; its hash is the cache key. */
  String recipe() {
    return "recipe-version="
        + RECIPE_VERSION
        + "\nsuite="
        + release.suite()
        + "\nvariant=minbase\npackages="
        + String.join(",", packages)
        + "\nmask="
        + String.join(",", new TreeSet<>(MASKED_UNITS))
        + "\n";
  }

  public String key() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(recipe().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  Path directory() {
    return dirs.images().resolve("debian-" + release.suite() + "-" + key());
  }

  /** The image's root file system, built first if this machine has none for the recipe. */
  public Path rootfs() {
    HostRequirements.check();
    Path rootfs = directory().resolve("rootfs");
    if (Files.isDirectory(rootfs)) {
      return rootfs;
    }
    // Two JVMs (or threads) building the same image at once would each debootstrap it.
    HostLock.holding(
        dirs.images().resolve("build.lock"),
        () -> {
          if (!Files.isDirectory(rootfs)) {
            try {
              build();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
    return rootfs;
  }

  private void build() throws IOException {
    long start = System.nanoTime();
    Path temp = Files.createTempDirectory(dirs.images(), "building-");
    Path rootfs = temp.resolve("rootfs");
    log.info("building {} image {} in {} (once per machine, a few minutes)", release, key(), temp);
    try {
      run(debootstrap(rootfs));
      log.info("debootstrap done after {} s; finishing the image", seconds(start));
      finish(rootfs);
      Files.writeString(temp.resolve("recipe"), recipe());
      try {
        Files.move(temp, directory());
      } catch (FileAlreadyExistsException e) {
        log.info("another process finished image {} first; using it", key());
      }
      log.info("image {} ready after {} s", key(), seconds(start));
    } finally {
      if (Files.exists(temp)) {
        run(List.of("rm", "-rf", "--one-file-system", temp.toString()));
      }
    }
  }

  private List<String> debootstrap(Path rootfs) {
    List<String> argv = new ArrayList<>(List.of("debootstrap", "--variant=minbase"));
    argv.add("--include=" + String.join(",", packages));
    if (Files.isDirectory(HOST_APT_ARCHIVES)) {
      argv.add("--cache-dir=" + HOST_APT_ARCHIVES);
    }
    argv.add(release.suite());
    argv.add(rootfs.toString());
    return argv; // no mirror argument: debootstrap's default Debian mirror
  }

  /** Steps after debootstrap, each a plain file change (no chroot, nothing runs in the image). */
  private static void finish(Path rootfs) throws IOException {
    run(
        List.of(
            "find",
            rootfs.resolve("var/cache/apt/archives").toString(),
            "-name",
            "*.deb",
            "-delete"));
    // Each server's copy gets its own machine id and host name.
    Files.writeString(rootfs.resolve("etc/machine-id"), "");
    Files.writeString(rootfs.resolve("etc/hostname"), "debian\n");
    // debootstrap copied the build host's resolver; servers have no DNS, names are in /etc/hosts.
    Files.deleteIfExists(rootfs.resolve("etc/resolv.conf"));
    Files.writeString(rootfs.resolve("etc/resolv.conf"), "");
    Path units = rootfs.resolve("etc/systemd/system");
    Files.createDirectories(units);
    for (String unit : MASKED_UNITS) {
      Files.deleteIfExists(units.resolve(unit));
      Files.createSymbolicLink(units.resolve(unit), Path.of("/dev/null"));
    }
  }

  private static void run(List<String> argv) {
    ExecResult result = HostCommand.run(BUILD_TIMEOUT, argv);
    if (!result.ok()) {
      throw new IllegalStateException("building the Debian image failed: " + result.describe());
    }
  }

  private static long seconds(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
  }
}
