package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.ServerFleet;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three pristine servers with the agent's package, one controller, one manifest. */
class FleetIT {
  @TempDir Path work;

  @Test
  void threeServers_receiveAndApplyTheSameRevision() throws Exception {
    try (ServerFleet fleet = ServerFleet.boot(DebianImage.bookworm(), 3);
        HostController controller = HostController.start(TestNetwork.HOST_ADDRESS, work);
        SampleRepository repository =
            SampleRepository.create(work.resolve("git"), TestNetwork.HOST_ADDRESS)) {
      int index = 1;
      for (PristineServer server : fleet.servers()) {
        ExecResult install = AgentOnServer.install(server, Artifacts.agentDeb());
        assertThat(install.ok()).as(install.describe()).isTrue();
        AgentOnServer.enroll(server, controller.invite("web"), "web-" + index++, "web");
      }

      HostController.Cli apply =
          controller.pulley(
              "apply",
              "-f",
              HelloManifest.write(work, repository.url(), "Hello, fleet").toString());
      assertThat(apply.exitCode()).as(apply.toString()).isZero();

      await()
          .atMost(Duration.ofSeconds(120))
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
    }
  }
}
