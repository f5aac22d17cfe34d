package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;

/**
 * Puppet's agent daemon from Debian, beside Pulley's agent in the same server, for comparison. It
 * is left pointing at its default server name ({@code puppet}), which does not resolve there: its
 * first run fails at once and it then waits out its run interval (30 minutes), which is how an
 * agent whose server is away idles.
 */
final class PuppetAgent {
  static final String UNIT = "puppet";

  private final PristineServer server;
  private final String packageName;

  private PuppetAgent(PristineServer server, String packageName) {
    this.server = server;
    this.packageName = packageName;
  }

  /**
   * Installs the agent's package ({@code puppet} on Debian 12, {@code puppet-agent} where the
   * release has that name instead) and starts its service.
   */
  static PuppetAgent install(PristineServer server) {
    String name = server.exec("apt-cache", "show", "puppet-agent").ok() ? "puppet-agent" : "puppet";
    server
        .aptGet(
            PristineServer.DEFAULT_EXEC_TIMEOUT, "install", "-y", "--no-install-recommends", name)
        .orThrow();
    server.execOrThrow("systemctl", "enable", UNIT);
    server.execOrThrow("systemctl", "restart", UNIT);
    return new PuppetAgent(server, name);
  }

  String describe() {
    String version =
        server.execOrThrow("dpkg-query", "-W", "-f", "${Version}", packageName).stdout().strip();
    return packageName + " " + version + ", unit " + UNIT + ".service";
  }

  long mainPid() {
    String pid =
        server.execOrThrow("systemctl", "show", "--property=MainPID", "--value", UNIT).stdout();
    long value = Long.parseLong(pid.strip());
    if (value == 0) {
      throw new IllegalStateException("puppet's agent is not running:\n" + server.journal(UNIT));
    }
    return value;
  }

  /** The last lines of its journal: what it did with no server to reach. */
  String journalTail() {
    java.util.List<String> lines = server.journal(UNIT).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
  }
}
