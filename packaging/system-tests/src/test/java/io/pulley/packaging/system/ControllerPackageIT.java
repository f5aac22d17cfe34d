package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Both packages on one pristine server, as a single-machine install would be: the controller as a
 * locked-down service, the CLI talking to it, and the local agent enrolled with it.
 */
class ControllerPackageIT {

  @Test
  void controllerService_servesTheCli_andTheLocalAgentEnrolls_thenPurgeRemovesItsState() {
    try (PristineServer server = PristineServer.boot(DebianImage.bookworm())) {
      String deb = "/var/tmp/" + Artifacts.controllerDeb().getFileName();
      server.copyIn(Artifacts.controllerDeb(), deb);
      ExecResult install =
          server.exec("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", deb);
      assertThat(install.ok()).as(install.describe()).isTrue();
      assertThat(server.exec("systemctl", "is-active", "pulley-controller").stdout())
          .contains("active");

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> server.exec("pulley", "hosts").stdout().contains("no hosts yet"));

      assertThat(AgentOnServer.install(server, Artifacts.agentDeb()).ok()).isTrue();
      AgentOnServer.enroll(server, "127.0.0.1:7400", "single", "web");
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> server.exec("pulley", "hosts").stdout().contains("single"));
      assertThat(server.exec("pulley", "status").ok()).isTrue();
      assertThat(server.journal("pulley-controller")).contains("controller serving on");
      // DynamicUser keeps the store under /var/lib/private, behind the usual /var/lib path.
      assertThat(server.exec("test", "-f", "/var/lib/pulley/controller/pulley.db").ok()).isTrue();

      ExecResult purge =
          server.exec(
              "env",
              "DEBIAN_FRONTEND=noninteractive",
              "apt-get",
              "purge",
              "-y",
              "pulley-controller");
      assertThat(purge.ok()).as(purge.describe()).isTrue();
      assertThat(server.exec("systemctl", "is-active", "pulley-controller").stdout().strip())
          .isNotEqualTo("active");
      assertThat(server.exec("test", "-e", "/etc/pulley/controller.env").ok()).isFalse();
      assertThat(server.exec("test", "-e", "/var/lib/pulley/controller/pulley.db").ok()).isFalse();
    }
  }
}
