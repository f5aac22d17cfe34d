package io.pulley.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The daemon runs on pulley-agent.jar alone; JGit, its libraries and RE2/J are in
 * pulley-agent-apply.jar, which only the apply's JVM opens (agent/pom.xml, ApplyJvm). So no class
 * of the daemon's packages may reach them, not even through the executors' packages, which only the
 * apply's JVM loads (from its entry point, ApplyMain, named by a string).
 */
class DaemonClassPathTest {
  /** The executors' packages, under io.pulley.agent.apply: the apply's own code. */
  private static final String[] EXECUTORS = {
    "io.pulley.agent.apply.accounts..",
    "io.pulley.agent.apply.apt..",
    "io.pulley.agent.apply.command..",
    "io.pulley.agent.apply.firewall..",
    "io.pulley.agent.apply.fs..",
    "io.pulley.agent.apply.git..",
    "io.pulley.agent.apply.handover..",
    "io.pulley.agent.apply.health..",
    "io.pulley.agent.apply.postgres..",
    "io.pulley.agent.apply.process..",
    "io.pulley.agent.apply.python..",
    "io.pulley.agent.apply.systemd..",
    "io.pulley.agent.apply.wiring.."
  };

  /** The libraries in pulley-agent-apply.jar. */
  private static final String[] APPLY_JAR = {
    "org.eclipse.jgit..",
    "com.googlecode.javaewah..",
    "org.apache.commons.codec..",
    "com.google.re2j.."
  };

  private static final JavaClasses MAIN =
      new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void theDaemonsPackages_neverReachTheExecutors() {
    noClasses()
        .that()
        .resideOutsideOfPackages(EXECUTORS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(EXECUTORS)
        .because("the daemon's class path has none of the executors' libraries")
        .check(MAIN);
  }

  @Test
  void theDaemonsPackages_neverReachTheApplyJarsLibraries() {
    noClasses()
        .that()
        .resideOutsideOfPackages(EXECUTORS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(APPLY_JAR)
        .because("pulley-agent-apply.jar is on the apply JVM's class path only")
        .check(MAIN);
  }
}
