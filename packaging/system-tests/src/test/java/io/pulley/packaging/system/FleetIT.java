package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.DebianRelease;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.ServerFleet;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three pristine servers, one controller, one manifest. The first runs pulley-agent on Debian 12's
 * Java; the other two have no Java at all and run pulley-agent-bundled, on Debian 12 and 13.
 */
class FleetIT {
  @TempDir Path work;

  @Test
  void threeServers_receiveAndApplyTheSameRevision_withEitherAgentPackage() throws Exception {
    List<DebianImage> images =
        List.of(
            DebianImage.bookworm(),
            DebianImage.withoutJava(DebianRelease.BOOKWORM),
            DebianImage.withoutJava(DebianRelease.TRIXIE));
    List<Path> packages =
        List.of(Artifacts.agentDeb(), Artifacts.bundledAgentDeb(), Artifacts.bundledAgentDeb());
    try (ServerFleet fleet = ServerFleet.boot(images);
        HostController controller = HostController.start(TestNetwork.HOST_ADDRESS, work);
        SampleRepository repository =
            SampleRepository.create(work.resolve("git"), TestNetwork.HOST_ADDRESS)) {
      for (int i = 0; i < images.size(); i++) {
        PristineServer server = fleet.get(i);
        ExecResult install = AgentOnServer.install(server, packages.get(i));
        assertThat(install.ok()).as(install.describe()).isTrue();
        AgentOnServer.enroll(server, controller.invite("web"), "web-" + (i + 1), "web");
      }

      HostController.Cli apply =
          controller.pulley(
              "apply",
              "-f",
              HelloManifest.write(work, repository.url(), "Hello, fleet").toString());
      assertThat(apply.exitCode()).as(apply.toString()).isZero();

      await()
          .atMost(Duration.ofMinutes(4))
          .until(
              () -> {
                HostController.Cli status = controller.pulley("status");
                return status.exitCode() == 0
                    && status.out().lines().filter(l -> l.contains("hello/system#1")).count() == 3;
              });
      String commit = repository.head();
      for (PristineServer server : fleet.servers()) {
        assertThat(server.execOrThrow("readlink", "/srv/hello/app/current").stdout().strip())
            .isEqualTo("releases/" + commit);
        assertThat(server.execOrThrow("cat", "/srv/hello/greeting.txt").stdout())
            .isEqualTo("Hello, fleet");
      }
      for (PristineServer server : fleet.servers().subList(1, 3)) {
        assertRunsOnTheBundledRuntimeWithoutJava(server);
      }
    }
  }

  /** No Java package and no java on the PATH: the agent's JVM is the package's own. */
  private static void assertRunsOnTheBundledRuntimeWithoutJava(PristineServer server) {
    ExecResult java = server.exec("sh", "-c", "command -v java");
    assertThat(java.ok()).as(java.describe()).isFalse();
    ExecResult jre = server.exec("sh", "-c", "dpkg -l | grep -E '^ii +(openjdk|default-j)'");
    assertThat(jre.ok()).as(jre.describe()).isFalse();
    long pid = AgentOnServer.mainPid(server);
    assertThat(server.execOrThrow("readlink", "/proc/" + pid + "/exe").stdout().strip())
        .isEqualTo("/usr/lib/pulley/agent-runtime/bin/java");
  }
}
