package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How fast the installed agent reacts while it sleeps in its held poll, read from the server's
 * journal, where the controller and the agent log on the same clock: from the controller storing a
 * revision (its audit line) to the agent starting to apply the new plan; and from the controller's
 * process being killed (systemd's line for it) to the agent logging the controller unreachable. For
 * the footprint benchmark; the tests check the same reactions by counts.
 */
final class ReactionTimes {
  private static final Duration NOTICE_WITHIN = Duration.ofMinutes(3);

  /** Applies a new revision; returns when the agent has reported it. */
  interface Apply {
    void run(String greeting) throws Exception;
  }

  private final PristineServer server;

  ReactionTimes(PristineServer server) {
    this.server = server;
  }

  /** Seconds from each stored revision to the agent's "applying plan", one per apply. */
  List<Double> pickups(Apply apply, int applies) throws Exception {
    List<Double> seconds = new ArrayList<>();
    for (int i = 1; i <= applies; i++) {
      double since = now();
      apply.run("Reaction " + i);
      double stored = firstAfter("pulley-controller", since, "audit hello/");
      double applying = firstAfter("pulley-agent", stored, "applying plan");
      seconds.add(applying - stored);
    }
    return seconds;
  }

  /**
   * Seconds from SIGKILL of the controller's process to the agent's "unreachable"; the controller
   * is started again and the agent seen back before it returns.
   */
  double killedControllerNoticed() throws Exception {
    double since = now();
    server.execOrThrow(
        "systemctl", "kill", "--kill-whom=main", "--signal=SIGKILL", "pulley-controller.service");
    double killed = firstAfter("pulley-controller", since, "Main process exited");
    double noticed = firstAfter("pulley-agent", killed, "unreachable");
    server.execOrThrow("systemctl", "restart", "pulley-controller.service");
    firstAfter("pulley-agent", noticed, "reachable again");
    return noticed - killed;
  }

  /**
   * Seconds from dropping every packet to and from the controller's port (nftables, as a firewall
   * that lost the connection's state would) to the agent's "unreachable": the connection's kernel
   * keep-alive is what finds it, as nothing closes it. The packets flow again before it returns,
   * once the agent is seen back.
   */
  double silentControllerNoticed(int port) throws Exception {
    server.aptGet(PristineServer.DEFAULT_EXEC_TIMEOUT, "install", "-y", "-q", "nftables").orThrow();
    String table = "pulley-bench-silence";
    server.execOrThrow("nft", "add", "table", "inet", table);
    server.execOrThrow(
        "nft", "add chain inet " + table + " in { type filter hook input priority -10 ; }");
    double since = now();
    try {
      server.execOrThrow(
          "nft",
          "add rule inet "
              + table
              + " in tcp dport "
              + port
              + " drop;"
              + " add rule inet "
              + table
              + " in tcp sport "
              + port
              + " drop");
      double noticed = firstAfter("pulley-agent", since, "unreachable");
      return noticed - since;
    } finally {
      server.execOrThrow("nft", "delete", "table", "inet", table);
      firstAfter("pulley-agent", since, "reachable again");
    }
  }

  static String describe(List<Double> pickups, double killed, double silent) {
    return String.format(
        Locale.ROOT,
        "new plan picked up after %s s (stored revision → \"applying plan\"); killed controller"
            + " noticed after %.3f s; a connection gone silent (its packets dropped) noticed"
            + " after %.1f s",
        String.join(
            ", ", pickups.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList()),
        killed,
        silent);
  }

  private double now() {
    return Double.parseDouble(server.execOrThrow("date", "+%s.%N").stdout().strip());
  }

  /**
   * The time of the first journal line of {@code unit} at or after {@code since} with {@code text}.
   */
  private double firstAfter(String unit, double since, String text) throws InterruptedException {
    long deadline = System.nanoTime() + NOTICE_WITHIN.toNanos();
    while (true) {
      Optional<Double> at = find(unit, since, text);
      if (at.isPresent()) {
        return at.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no \"" + text + "\" from " + unit + " within " + NOTICE_WITHIN.toSeconds() + " s");
      }
      Thread.sleep(500);
    }
  }

  private Optional<Double> find(String unit, double since, String text) {
    String out =
        server
            .execOrThrow(
                "journalctl",
                "--no-pager",
                "-o",
                "short-unix",
                "-u",
                unit + ".service",
                "--since",
                String.format(Locale.ROOT, "@%.6f", Math.floor(since)))
            .stdout();
    for (String line : out.lines().toList()) {
      int space = line.indexOf(' ');
      if (space > 0 && line.contains(text)) {
        double at = Double.parseDouble(line.substring(0, space));
        if (at >= since) {
          return Optional.of(at);
        }
      }
    }
    return Optional.empty();
  }
}
