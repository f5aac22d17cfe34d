package io.pulley.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the build put its packages, and which version it gave them (see the module's pom). */
final class BuiltPackages {
  static final String AGENT = "pulley-agent";
  static final String AGENT_BUNDLED = "pulley-agent-bundled";
  static final String CONTROLLER = "pulley-controller";

  private BuiltPackages() {}

  static String version() {
    return property("pulley.version");
  }

  static Path deb(String packageName) {
    return existing(
        dir().resolve(packageName + "_" + version() + "_" + architecture(packageName) + ".deb"));
  }

  /** "all" for the packages of jars; the bundled agent carries native code: the build's. */
  static String architecture(String packageName) {
    return packageName.equals(AGENT_BUNDLED) ? property("pulley.agent.runtime.arch") : "all";
  }

  /** The unit a package ships: both agent packages ship pulley-agent.service. */
  static String unit(String packageName) {
    return packageName.equals(AGENT_BUNDLED) ? AGENT : packageName;
  }

  static Path tarball() {
    return existing(dir().resolve("pulley-" + version() + ".tar.gz"));
  }

  static Path systemdDir() {
    return existing(Paths.get(property("pulley.systemd.dir")));
  }

  private static Path dir() {
    return Paths.get(property("pulley.packages.dir"));
  }

  private static Path existing(Path path) {
    assertThat(path).as("built by `package`").exists();
    return path;
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "system property " + name + " is not set; run these tests through failsafe");
    }
    return value;
  }

  /** Unpacks a .deb's files (dpkg-deb -x) into dir. */
  static Path unpack(String packageName, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Run.of(dir, "dpkg-deb", "-x", deb(packageName).toString(), dir.toString()).assertSucceeded();
    assertThat(Files.isDirectory(dir.resolve("usr"))).isTrue();
    return dir;
  }
}
