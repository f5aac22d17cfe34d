package io.pulley.packaging;

import static io.pulley.packaging.BuiltPackages.AGENT_BUNDLED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java runtime pulley-agent-bundled carries: what jlink put in it, and that it runs. */
class BundledAgentRuntimeIT {
  private static final String RUNTIME = "usr/lib/pulley/agent-runtime";

  @TempDir Path tmp;

  @Test
  void runtime_holdsTheAgentsModulesAndTheirDependencies_only() {
    Path root = BuiltPackages.unpack(AGENT_BUNDLED, tmp.resolve("root"));

    Run modules =
        Run.of(tmp, root.resolve(RUNTIME + "/bin/java").toString(), "--list-modules")
            .assertSucceeded();

    // The pom's list plus what those modules require; java.desktop (22 MB of JDK) stays out.
    assertThat(modules.output().lines().map(line -> line.replaceFirst("@.*", "")))
        .containsExactlyInAnyOrder(
            "java.base",
            "java.logging",
            "java.management",
            "java.naming",
            "java.net.http",
            "java.security.jgss",
            "java.security.sasl",
            "java.sql",
            "java.transaction.xa",
            "java.xml",
            "jdk.crypto.ec",
            "jdk.httpserver",
            "jdk.jfr",
            "jdk.management",
            "jdk.net",
            "jdk.unsupported");
  }

  @Test
  void launcher_runsTheAgentOnTheBundledRuntime_whenJavaHomeIsUnset() throws IOException {
    Path root = BuiltPackages.unpack(AGENT_BUNDLED, tmp.resolve("root"));

    // An empty JAVA_HOME counts as unset; the flags make the JVM print which java.home it is.
    Run version =
        Run.of(
            tmp,
            Map.of("JAVA_HOME", "", "PULLEY_AGENT_JAVA_OPTS", "-XshowSettings:properties"),
            Duration.ofMinutes(1),
            List.of(root.resolve("usr/bin/pulley-agent").toString(), "--version"));

    assertThat(version.assertSucceeded().output())
        .contains("java.home = " + root.resolve(RUNTIME).toRealPath())
        .contains("pulley-agent " + System.getProperty("pulley.project.version"));
  }

  @Test
  void launcher_prefersJavaHome_whenAnAdminSetsIt() {
    Path root = BuiltPackages.unpack(AGENT_BUNDLED, tmp.resolve("root"));
    String buildJdk = System.getProperty("java.home");

    Run version =
        Run.of(
            tmp,
            Map.of("JAVA_HOME", buildJdk, "PULLEY_AGENT_JAVA_OPTS", "-XshowSettings:properties"),
            Duration.ofMinutes(1),
            List.of(root.resolve("usr/bin/pulley-agent").toString(), "--version"));

    assertThat(version.assertSucceeded().output()).contains("java.home = " + buildJdk);
  }
}
