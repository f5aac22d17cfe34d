package io.pulley.controller.bench;

import java.util.Locale;

/**
 * The reconnect storm after one fan-out: the controller restarted and every agent coming back.
 *
 * @param restartNanos from SIGTERM until the new controller served (wrote its port)
 * @param allHeldNanos from SIGTERM until the new controller held every agent's poll, or {@link
 *     LatencySummary#MISSING}
 * @param reattach when each agent sent the poll that was held, counted from SIGTERM
 * @param cpuMillis the new controller's CPU from serving until it held every poll
 * @param generatorCpuMillis the load generator's CPU from SIGTERM until then (the agents' side)
 */
record StormResult(
    Transport transport,
    int agents,
    long restartNanos,
    long allHeldNanos,
    LatencySummary reattach,
    long cpuMillis,
    long generatorCpuMillis,
    double rssMib,
    int pollErrors,
    int gaveUp) {

  static final String HEADER =
      "| transport | agents | restart (s) | all held again (s) | p50 re-attach (s) "
          + "| p99 re-attach (s) | controller CPU during storm (ms) | CPU per agent (ms) "
          + "| load generator CPU (ms) | controller RSS after (MB) | failed polls | gave up |\n"
          + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  boolean complete() {
    return allHeldNanos != LatencySummary.MISSING;
  }

  double cpuPerAgentMillis() {
    return (double) cpuMillis / agents;
  }

  String row() {
    return String.format(
        Locale.ROOT,
        "| %s | %,d | %.1f | %s | %s | %s | %,d | %.2f | %,d | %.0f | %,d | %,d |",
        transport.label(),
        agents,
        restartNanos / 1e9,
        seconds(allHeldNanos),
        seconds(reattach.p50Nanos()),
        seconds(reattach.p99Nanos()),
        cpuMillis,
        cpuPerAgentMillis(),
        generatorCpuMillis,
        rssMib,
        pollErrors,
        gaveUp);
  }

  static String failedRow(Transport transport, int agents, String reason) {
    return String.format(
        Locale.ROOT,
        "| %s | %,d | failed: %s | | | | | | | | | |",
        transport.label(),
        agents,
        reason.replace('|', '/'));
  }

  private static String seconds(long nanos) {
    return nanos == LatencySummary.MISSING
        ? "timeout"
        : String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
