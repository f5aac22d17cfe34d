package io.pulley.controller.bench;

import java.util.Locale;

/**
 * Enrolling the simulated fleet before an mTLS run: not part of the fan-out, measured on its own.
 *
 * @param preparationNanos making every host's key and certificate request (load generator only)
 * @param enrolNanos from the first Enrol call until the last certificate arrived
 * @param cpuMillis the controller's CPU over the enrolments
 */
record EnrolResult(
    int agents, long preparationNanos, long enrolNanos, long cpuMillis, double rssMib) {

  static final String HEADER =
      "| agents | keys + requests made in (s) | enrolled in (s) | enrolments per second "
          + "| controller CPU (ms) | controller CPU per enrolment (ms) "
          + "| controller RSS after (MB) |\n"
          + "|---:|---:|---:|---:|---:|---:|---:|";

  double perSecond() {
    return agents / (enrolNanos / 1e9);
  }

  String row() {
    return String.format(
        Locale.ROOT,
        "| %,d | %.1f | %.1f | %,.0f | %,d | %.2f | %.0f |",
        agents,
        preparationNanos / 1e9,
        enrolNanos / 1e9,
        perSecond(),
        cpuMillis,
        (double) cpuMillis / agents,
        rssMib);
  }
}
