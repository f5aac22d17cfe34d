package io.pulley.packaging.system;

import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import java.nio.file.Path;

/** Installs the agent's .deb on a server the way an admin would, and points it at a controller. */
final class AgentOnServer {
  static final String CONFIG = "/etc/pulley/agent.yaml";
  static final String TOKEN = "/etc/pulley/agent.token";

  private AgentOnServer() {}

  /** {@code apt-get install ./pulley-agent…deb}; the servers have no mirror, so nothing else. */
  static ExecResult install(PristineServer server, Path deb) {
    String target = "/var/tmp/" + deb.getFileName();
    server.copyIn(deb, target);
    return server.exec(
        "env",
        "DEBIAN_FRONTEND=noninteractive",
        "apt-get",
        "install",
        "-y",
        "--no-install-recommends",
        "-o",
        "Dpkg::Options::=--force-confold",
        target);
  }

  /**
   * Writes the agent's token file and configuration and restarts it, as an admin does after
   * installing the package: the agent enrols with the token, then talks mutual TLS.
   */
  static void enroll(PristineServer server, Invitation invitation, String hostId, String role) {
    configure(server, invitation, hostId, role, "allowed_roots:\n  - /srv\n");
  }

  /**
   * Enrols the agent for whole stacks: it may write the site's configuration under /etc as well as
   * the application under /srv, and re-applies its plan every 20 s so drift is found quickly.
   */
  static void enrollForStacks(
      PristineServer server, Invitation invitation, String hostId, String role) {
    configure(
        server,
        invitation,
        hostId,
        role,
        "allowed_roots:\n  - /srv\n  - /etc\nreconverge_interval: 20s\n");
  }

  private static void configure(
      PristineServer server, Invitation invitation, String hostId, String role, String more) {
    server.writeFile(TOKEN, invitation.token() + "\n");
    server.execOrThrow("chmod", "600", TOKEN);
    server.writeFile(
        CONFIG,
        "# written by the system test\ncontroller: "
            + invitation.controller()
            + "\nhost_id: "
            + hostId
            + "\nlabels:\n  role: "
            + role
            + "\n"
            + more);
    server.execOrThrow("systemctl", "restart", "pulley-agent");
  }

  /** The main PID of the agent's service, 0 if it is not running. */
  static long mainPid(PristineServer server) {
    String pid =
        server
            .execOrThrow("systemctl", "show", "--property=MainPID", "--value", "pulley-agent")
            .stdout()
            .strip();
    return Long.parseLong(pid);
  }
}
