package io.pulley.agent.apply.forked;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply JVM's class path: the daemon's, and the apply's libraries where they are installed. */
class ApplyJvmTest {
  @TempDir Path dir;

  @Test
  void theApplyJarBesideTheDaemonsJar_joinsTheApplysClassPathOnly() throws Exception {
    Path installed = Files.createDirectories(dir.resolve("usr/share/pulley"));
    Path daemonJar = Files.createFile(installed.resolve("pulley-agent.jar"));
    Path applyJar = Files.createFile(installed.resolve("pulley-agent-apply.jar"));

    assertThat(ApplyJvm.withApplyJar(daemonJar.toString()))
        .isEqualTo(daemonJar + File.pathSeparator + applyJar);
  }

  @Test
  void aDaemonJarWithoutOneBesideIt_orAnotherClassPath_staysAsItIs() throws Exception {
    Path daemonJar = Files.createFile(dir.resolve("pulley-agent.jar"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.createFile(classes.resolve("pulley-agent-apply.jar"));
    String testsClassPath = classes + File.pathSeparator + dir.resolve("jgit.jar");

    assertThat(ApplyJvm.withApplyJar(daemonJar.toString())).isEqualTo(daemonJar.toString());
    assertThat(ApplyJvm.withApplyJar(testsClassPath)).isEqualTo(testsClassPath);
    assertThat(ApplyJvm.withApplyJar("")).isEmpty();
  }

  @Test
  void aJarThatOnlyEndsLikeTheDaemons_isNotIt() throws Exception {
    Path other = Files.createFile(dir.resolve("not-pulley-agent.jar"));
    Files.createFile(dir.resolve("pulley-agent-apply.jar"));

    assertThat(ApplyJvm.withApplyJar(other.toString())).isEqualTo(other.toString());
  }
}
