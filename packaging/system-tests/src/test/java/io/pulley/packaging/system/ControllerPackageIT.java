package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Both packages on one pristine Debian 13 server, as a single-machine install would be: the
 * controller as a locked-down service, the CLI talking to it, and the local agent enrolled with it:
 * it survives a controller restart, renews its certificate by itself, is cut off by a revoke, and
 * purge removes the controller's state.
 */
class ControllerPackageIT {

  @Test
  void controllerService_servesTheCli_andTheLocalAgentEnrolls_renews_andIsRevoked() {
    try (PristineServer server = PristineServer.boot(DebianImage.trixie())) {
      String deb = "/var/tmp/" + Artifacts.controllerDeb().getFileName();
      server.copyIn(Artifacts.controllerDeb(), deb);
      ExecResult install =
          server.exec("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", deb);
      assertThat(install.ok()).as(install.describe()).isTrue();
      assertThat(server.exec("systemctl", "is-active", "pulley-controller").stdout())
          .contains("active");

      // Secure from the start: without credentials the CLI is refused, with the first admin's
      // token it logs in; the agent enrols with a token and then talks mutual TLS.
      assertThat(server.exec("pulley", "hosts").ok()).isFalse();
      // Host certificates of the shortest lifetime allowed, so the agent renews within the test.
      server.writeFile("/etc/pulley/controller.env", "PULLEY_SERVE_OPTS=--host-cert-lifetime 5m\n");
      server.execOrThrow("systemctl", "restart", "pulley-controller");
      PackagedController.login(server);
      assertThat(server.exec("pulley", "hosts").stdout()).contains("no hosts yet");
      assertThat(server.exec("test", "-e", PackagedController.FIRST_ADMIN_TOKEN).ok()).isFalse();

      assertThat(AgentOnServer.install(server, Artifacts.agentDeb()).ok()).isTrue();
      AgentOnServer.enroll(server, PackagedController.invite(server, "web"), "single", "web");
      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> server.exec("pulley", "hosts").stdout().contains("single"));
      assertThat(server.exec("pulley", "status").ok()).isTrue();
      assertThat(server.journal("pulley-controller")).contains("controller serving TLS on");
      // The host's key never left it: the controller's data holds only its own two keys.
      assertThat(
              server
                  .exec("grep", "-rl", "PRIVATE KEY", "/var/lib/private/pulley/controller")
                  .stdout()
                  .strip()
                  .lines()
                  .sorted()
                  .toList())
          .containsExactly(
              "/var/lib/private/pulley/controller/tls/ca.key",
              "/var/lib/private/pulley/controller/tls/server.key");
      assertThat(server.exec("test", "-f", "/var/lib/pulley/agent/tls/key.pem").ok()).isTrue();
      String firstCertificate = certificate(server);

      // A controller restart: the agent re-attaches by itself and takes the next revision.
      applyGreeting(server, "before the restart");
      server.execOrThrow("systemctl", "restart", "pulley-controller");
      await("the restarted controller answers")
          .atMost(Duration.ofMinutes(2))
          .until(() -> server.exec("pulley", "whoami").ok());
      applyGreeting(server, "after the restart");

      // Two thirds into its 5 minutes the agent renews, keeps its key, and goes on working.
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(5))
          .until(() -> server.journal("pulley-agent").contains("certificate renewed until"));
      assertThat(certificate(server)).isNotEqualTo(firstCertificate);
      applyGreeting(server, "after the renewal");

      // Revoked, the host is cut off: its polls are refused from then on.
      assertThat(server.exec("pulley", "hosts", "revoke", "single").ok()).isTrue();
      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> server.journal("pulley-agent").contains("revoked"));
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

  /** The host's certificate as the agent stored it. */
  private static String certificate(PristineServer server) {
    return server.execOrThrow("cat", "/var/lib/pulley/agent/tls/cert.pem").stdout();
  }

  /** Applies a manifest that writes GREETING on the host, and waits until the agent has. */
  private static void applyGreeting(PristineServer server, String greeting) {
    server.writeFile(
        "/root/greeting.yaml",
        """
        application: greeting
        environment: system
        hosts:
          labels:
            role: web
        resources:
          - file:
              path: /srv/greeting.txt
              content: "%s"
              mode: "0644"
        """
            .formatted(greeting));
    ExecResult apply = server.exec("pulley", "apply", "-f", "/root/greeting.yaml");
    assertThat(apply.ok()).as(apply.describe()).isTrue();
    await("the agent writes '" + greeting + "'")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> server.exec("cat", "/srv/greeting.txt").stdout().equals(greeting));
  }
}
