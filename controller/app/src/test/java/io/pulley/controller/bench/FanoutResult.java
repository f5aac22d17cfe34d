package io.pulley.controller.bench;

import java.util.Locale;

/** The measurements of one fan-out run, and their rendering as Markdown table rows. */
record FanoutResult(
    int agents,
    long applyRpcNanos,
    LatencySummary latency,
    ProcessSample idle,
    ProcessSample after,
    long connectCpuMillis,
    long generatorFanoutCpuMillis,
    double rampSeconds,
    int heldAtT0,
    int pollErrors,
    int gaveUp) {

  static final String HEADER =
      "| agents | apply RPC ms | p50 ms | p99 ms | max ms | all within 1 s? "
          + "| controller RSS idle (MB) | controller CPU during fan-out (ms) "
          + "| controller CPU per agent, connect + first poll (ms) |\n"
          + "|---:|---:|---:|---:|---:|---|---:|---:|---:|";

  static final String DETAIL_HEADER =
      "| agents | p90 ms | got it within 1 s | got it at all | held polls at T0 "
          + "| connect ramp (s) | controller RSS after (MB) | load generator CPU during fan-out (ms) "
          + "| poll errors | agents gave up |\n"
          + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

  long fanoutCpuMillis() {
    return after.cpuMillisSince(idle);
  }

  String row() {
    return String.format(
        Locale.ROOT,
        "| %,d | %s | %s | %s | %s | %s | %.0f | %,d | %.2f |",
        agents,
        millis(applyRpcNanos),
        millis(latency.p50Nanos()),
        millis(latency.p99Nanos()),
        millis(latency.maxNanos()),
        latency.allWithinOneSecond()
            ? "yes"
            : String.format(Locale.ROOT, "no (%,d of %,d)", latency.withinOneSecond(), agents),
        idle.rssMib(),
        fanoutCpuMillis(),
        (double) connectCpuMillis / agents);
  }

  String detailRow() {
    return String.format(
        Locale.ROOT,
        "| %,d | %s | %,d | %,d | %,d | %.1f | %.0f | %,d | %,d | %,d |",
        agents,
        millis(latency.p90Nanos()),
        latency.withinOneSecond(),
        latency.received(),
        heldAtT0,
        rampSeconds,
        after.rssMib(),
        generatorFanoutCpuMillis,
        pollErrors,
        gaveUp);
  }

  /** A failed run as a row of the main table, so the table stays complete. */
  static String failedRow(int agents, String reason) {
    return String.format(
        Locale.ROOT, "| %,d | failed: %s | | | | | | | |", agents, reason.replace('|', '/'));
  }

  private static String millis(long nanos) {
    if (nanos == LatencySummary.MISSING) {
      return "timeout";
    }
    double ms = nanos / 1e6;
    return ms < 100
        ? String.format(Locale.ROOT, "%.1f", ms)
        : String.format(Locale.ROOT, "%,.0f", ms);
  }
}
