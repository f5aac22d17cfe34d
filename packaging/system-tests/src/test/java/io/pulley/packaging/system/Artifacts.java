package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The build's outputs that system tests install: found in the module's and siblings' targets. */
final class Artifacts {
  /** The checkout's top: two folders up from this module, where Maven runs it; set by ./demo.sh. */
  private static final Path TOP =
      Path.of(System.getProperty("pulley.top.dir", "../..")).toAbsolutePath().normalize();

  /** Where the packaging module leaves the packages it built. */
  private static final Path PACKAGES = TOP.resolve("packaging/target");

  private Artifacts() {}

  /** pulley-agent, on the distribution's Java. */
  static Path agentDeb() {
    return deb("pulley-agent_", "_all.deb");
  }

  /** pulley-agent-bundled: the same agent with its own Java runtime, native code for amd64. */
  static Path bundledAgentDeb() {
    return deb("pulley-agent-bundled_", "_amd64.deb");
  }

  static Path controllerDeb() {
    return deb("pulley-controller_", "_all.deb");
  }

  /** The sample Pyramid application's source tree (samples/pulley-sample). */
  static Path sampleApplication() {
    return sample("pulley-sample");
  }

  /** A sample application's source tree: samples/{@code name}. */
  static Path sample(String name) {
    Path sample = TOP.resolve("samples").resolve(name);
    if (!Files.isDirectory(sample)) {
      throw new IllegalStateException(sample + " is missing");
    }
    return sample;
  }

  /** The controller's fat jar: the controller and CLI run on this machine, the test's host side. */
  static Path controllerJar() {
    Path jar = TOP.resolve("controller/app/target/pulley-controller.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing; run the build from the top (./mvnw verify)");
    }
    return jar;
  }

  /**
   * The newest package in packaging/target: snapshot versions carry their build time and sort by
   * it, so after a build that is the one it made.
   */
  private static Path deb(String prefix, String suffix) {
    try (Stream<Path> files = Files.list(PACKAGES)) {
      List<Path> found =
          files
              .filter(p -> p.getFileName().toString().startsWith(prefix))
              .filter(p -> p.getFileName().toString().endsWith(suffix))
              .sorted()
              .toList();
      if (found.isEmpty()) {
        throw new IllegalStateException(
            "no " + prefix + "*" + suffix + " in " + PACKAGES + "; run ./mvnw package");
      }
      return found.get(found.size() - 1);
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + PACKAGES + ": " + e.getMessage(), e);
    }
  }
}
