package io.pulley.controller.bench;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconnect storm: with every agent holding a poll, the controller is restarted (SIGTERM, then
 * {@code serve} again on the same data directory and port) and the agents come back on their own,
 * with the agent's back-off. Measured until the new controller holds every agent's poll again.
 */
final class StormRun {
  private static final Logger LOG = LoggerFactory.getLogger(StormRun.class);

  private static final Duration ALL_HELD_BEFORE = Duration.ofSeconds(60);
  private static final Duration STORM_TIMEOUT = Duration.ofSeconds(240);
  private static final long GAUGE_INTERVAL_MILLIS = 100;

  private StormRun() {}

  static StormResult run(BenchController controller, SimulatedFleet fleet, Transport transport)
      throws IOException, InterruptedException {
    FleetProgress progress = fleet.progress();
    HeldPollGauge gauge = new HeldPollGauge(controller.metrics());
    int agents = fleet.size();
    int heldBefore = awaitHeld(gauge, progress, agents, ALL_HELD_BEFORE);
    if (heldBefore < agents) {
      LOG.warn("event=storm_not_all_held_before agents={} held={}", agents, heldBefore);
    }
    int errorsBefore = progress.pollErrors();
    ProcessSample generatorBefore = ProcFs.sample(ProcessHandle.current().pid());

    long t0 = System.nanoTime();
    progress.restarted(t0);
    controller.restart();
    long servingAt = System.nanoTime();
    ProcessSample serving = controller.sample();
    LOG.info("event=storm_controller_serving seconds={}", secondsSince(t0));
    int held = awaitHeld(gauge, progress, agents, STORM_TIMEOUT);
    long allHeldAt = System.nanoTime();
    ProcessSample after = controller.sample();
    ProcessSample generatorAfter = ProcFs.sample(ProcessHandle.current().pid());
    long[] reattachedAt = progress.reattachedAt();
    boolean complete = held >= agents - progress.gaveUp();
    LOG.info(
        "event=storm_done transport={} agents={} held={} gave_up={} seconds={} failures={}",
        transport.label(),
        agents,
        held,
        progress.gaveUp(),
        secondsSince(t0),
        progress.topFailureReasons(3));
    return new StormResult(
        transport,
        agents,
        servingAt - t0,
        complete ? allHeldAt - t0 : LatencySummary.MISSING,
        LatencySummary.of(reattachedAt, t0),
        after.cpuMillisSince(serving),
        generatorAfter.cpuMillisSince(generatorBefore),
        after.rssMib(),
        progress.pollErrors() - errorsBefore,
        progress.gaveUp());
  }

  /**
   * Reads the gauge until it shows a held poll for every agent that has not given up, or time runs
   * out; returns the last value.
   */
  private static int awaitHeld(
      HeldPollGauge gauge, FleetProgress progress, int agents, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int held = gauge.read();
    while (held < agents - progress.gaveUp() && System.nanoTime() < deadline) {
      Thread.sleep(GAUGE_INTERVAL_MILLIS);
      held = gauge.read();
    }
    return held;
  }

  private static String secondsSince(long t0) {
    return String.format("%.1f", (System.nanoTime() - t0) / 1e9);
  }
}
