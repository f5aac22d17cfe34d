package io.pulley.packaging.system;

import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import java.nio.file.Path;

/** Installs the agent's .deb on a server the way an admin would, and points it at a controller. */
final class AgentOnServer {
  static final String CONFIG = "/etc/pulley/agent.yaml";

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

  /** Writes the agent's configuration and restarts it, as after editing the conffile. */
  static void enroll(PristineServer server, String controller, String hostId, String role) {
    server.writeFile(
        CONFIG,
        "# written by the system test\n"
            + "controller: "
            + controller
            + "\nhost_id: "
            + hostId
            + "\nlabels:\n  role: "
            + role
            + "\nallowed_roots:\n  - /srv\n");
    server.execOrThrow("systemctl", "restart", "pulley-agent");
  }

  /**
   * Enrols the agent for whole stacks: it may write the site's configuration under /etc as well as
   * the application under /srv, and re-applies its plan every 20 s so drift is found quickly.
   */
  static void enrollForStacks(
      PristineServer server, String controller, String hostId, String role) {
    server.writeFile(
        CONFIG,
        "# written by the system test\n"
            + "controller: "
            + controller
            + "\nhost_id: "
            + hostId
            + "\nlabels:\n  role: "
            + role
            + "\nallowed_roots:\n  - /srv\n  - /etc\n"
            + "reconverge_interval: 20s\n");
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
