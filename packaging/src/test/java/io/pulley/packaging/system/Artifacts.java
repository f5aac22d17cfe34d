package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The build's outputs that system tests install: found in the module's and siblings' targets. */
final class Artifacts {
  /** The packaging module's folder: the working directory under Maven, set by ./demo.sh. */
  private static final Path MODULE =
      Path.of(System.getProperty("pulley.packaging.dir", ".")).toAbsolutePath().normalize();

  private Artifacts() {}

  static Path agentDeb() {
    return deb("pulley-agent_");
  }

  static Path controllerDeb() {
    return deb("pulley-controller_");
  }

  /** The sample Pyramid application's source tree (samples/pulley-sample). */
  static Path sampleApplication() {
    Path sample = MODULE.resolve("../samples/pulley-sample").normalize();
    if (!Files.isDirectory(sample)) {
      throw new IllegalStateException(sample + " is missing");
    }
    return sample;
  }

  /** The controller's fat jar: the controller and CLI run on this machine, the test's host side. */
  static Path controllerJar() {
    Path jar = MODULE.resolve("../controller/target/pulley-controller.jar").normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing; run the build from the top (./mvnw verify)");
    }
    return jar;
  }

  /**
   * The package of this build: Maven passes its version; a plain `java` run (./demo.sh) takes the
   * newest in target/, since snapshot versions carry their build time and sort by it.
   */
  private static Path deb(String prefix) {
    String version = System.getProperty("pulley.version");
    if (version != null) {
      Path exact = MODULE.resolve("target").resolve(prefix + version + "_all.deb");
      if (!Files.isRegularFile(exact)) {
        throw new IllegalStateException(exact + " is missing; run the build (./mvnw verify)");
      }
      return exact;
    }
    try (Stream<Path> files = Files.list(MODULE.resolve("target"))) {
      List<Path> found =
          files
              .filter(p -> p.getFileName().toString().startsWith(prefix))
              .filter(p -> p.getFileName().toString().endsWith("_all.deb"))
              .sorted()
              .toList();
      if (found.isEmpty()) {
        throw new IllegalStateException(
            "no " + prefix + "*_all.deb in " + MODULE.resolve("target") + "; run ./mvnw package");
      }
      return found.get(found.size() - 1);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot list " + MODULE.resolve("target") + ": " + e.getMessage(), e);
    }
  }
}
