package io.pulley.controller.bench;

import java.util.Optional;

/**
 * Everything one fleet size measured over one transport: enrolment (mTLS only), fan-out, and the
 * reconnect storm, which may fail on its own (then {@code stormFailure} says why).
 */
record TransportRun(
    Transport transport,
    int agents,
    Optional<EnrolResult> enrolment,
    FanoutResult fanout,
    Optional<StormResult> storm,
    String stormFailure) {

  boolean passed() {
    return fanout.latency().received() == agents && storm.map(StormResult::complete).orElse(false);
  }
}
