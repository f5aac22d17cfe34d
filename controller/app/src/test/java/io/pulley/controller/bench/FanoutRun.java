package io.pulley.controller.bench;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApplyManifestResponse;
import io.pulley.v1.GetRevisionRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement: a fresh controller, N agents long-polling it, then one new revision that all of
 * them must receive. Every wait is bounded; the controller is stopped whatever happens.
 */
final class FanoutRun {
  private static final Logger LOG = LoggerFactory.getLogger(FanoutRun.class);

  static final String APPLICATION = "bench";
  private static final String MANIFEST =
      """
      application: bench
      environment: fanout
      hosts:
        labels:
          bench: "yes"
      resources:
        - file:
            path: /tmp/pulley-bench/x.txt
            content: "written by the fan-out benchmark\\n"
      """;

  /** Lets the controller finish starting (and later, lets held polls land) before sampling. */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private static final Duration RAMP_SLACK = Duration.ofSeconds(60);
  private static final Duration FANOUT_TIMEOUT = Duration.ofSeconds(120);
  private static final long APPLY_DEADLINE_SECONDS = 60;

  /** File descriptors the load generator needs besides one per agent. */
  private static final int FD_HEADROOM = 200;

  private final BenchmarkOptions options;

  FanoutRun(BenchmarkOptions options) {
    this.options = options;
  }

  FanoutResult run(int agents) throws IOException, InterruptedException {
    requireFdLimit("this load generator", ProcessHandle.current().pid(), agents);
    try (BenchController controller = BenchController.start(options.controllerJar())) {
      requireFdLimit("the controller", controller.pid(), agents);
      Thread.sleep(SETTLE.toMillis());
      ProcessSample beforeRamp = controller.sample();
      ManagedChannel admin =
          NettyChannelBuilder.forAddress(controller.address()).usePlaintext().build();
      try (SimulatedFleet fleet =
          new SimulatedFleet(controller.address(), agents, APPLICATION, agents)) {
        warmUp(admin);
        return measure(controller, fleet, admin, agents, beforeRamp);
      } finally {
        admin.shutdownNow();
        admin.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private FanoutResult measure(
      BenchController controller,
      SimulatedFleet fleet,
      ManagedChannel admin,
      int agents,
      ProcessSample beforeRamp)
      throws IOException, InterruptedException {
    FleetProgress progress = fleet.progress();
    long rampStart = System.nanoTime();
    fleet.startRamped(options.rampPerSecond());
    Duration rampTimeout = Duration.ofSeconds(agents / options.rampPerSecond()).plus(RAMP_SLACK);
    if (!progress.awaitAllHeld(rampTimeout)) {
      LOG.warn("event=ramp_incomplete agents={} held={}", agents, progress.heldNow());
    }
    double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
    LOG.info(
        "event=ramp_done agents={} held={} seconds={} load_generator_rss_mb={}",
        agents,
        progress.heldNow(),
        String.format("%.1f", rampSeconds),
        Math.round(ProcFs.sample(ProcessHandle.current().pid()).rssMib()));
    Thread.sleep(SETTLE.toMillis());
    ProcessSample idle = controller.sample();
    ProcessSample generatorIdle = ProcFs.sample(ProcessHandle.current().pid());
    int heldAtT0 = progress.heldNow();

    long t0 = System.nanoTime();
    long applyNanos = applyManifest(admin);
    Duration left = FANOUT_TIMEOUT.minusNanos(System.nanoTime() - t0);
    if (!progress.awaitAllSettled(left.isNegative() ? Duration.ZERO : left)) {
      LOG.warn("event=fanout_incomplete agents={}", agents);
    }
    ProcessSample after = controller.sample();
    ProcessSample generatorAfter = ProcFs.sample(ProcessHandle.current().pid());
    LatencySummary latency = LatencySummary.of(progress.newPlanArrivals(), t0);
    return new FanoutResult(
        agents,
        applyNanos,
        latency,
        idle,
        after,
        idle.cpuMillisSince(beforeRamp),
        generatorAfter.cpuMillisSince(generatorIdle),
        rampSeconds,
        heldAtT0,
        progress.pollErrors(),
        progress.gaveUp());
  }

  /**
   * Opens the admin connection before anything is measured, so that the apply's time is not that of
   * a TCP and HTTP/2 handshake and of class loading. Asks for a revision that does not exist;
   * NOT_FOUND is the expected answer.
   */
  private static void warmUp(ManagedChannel admin) {
    try {
      AdminServiceGrpc.newBlockingStub(admin)
          .withDeadlineAfter(APPLY_DEADLINE_SECONDS, TimeUnit.SECONDS)
          .getRevision(
              GetRevisionRequest.newBuilder()
                  .setApplication(APPLICATION)
                  .setEnvironment("warm-up")
                  .build());
    } catch (StatusRuntimeException expected) {
      LOG.debug("event=admin_warm_up status={}", expected.getStatus().getCode());
    }
  }

  /** Applies the benchmark manifest; returns how long the RPC took. */
  private static long applyManifest(ManagedChannel admin) {
    long start = System.nanoTime();
    ApplyManifestResponse response =
        AdminServiceGrpc.newBlockingStub(admin)
            .withDeadlineAfter(APPLY_DEADLINE_SECONDS, TimeUnit.SECONDS)
            .applyManifest(
                ApplyManifestRequest.newBuilder()
                    .setManifestYaml(MANIFEST)
                    .setSourceName("fanout-benchmark.yaml")
                    .build());
    long elapsed = System.nanoTime() - start;
    if (!response.getChanged()) {
      throw new IllegalStateException(
          "ApplyManifest stored no new revision (changed=false); is the data directory fresh?");
    }
    LOG.info("event=manifest_applied revision={}", response.getRevision().getNumber());
    return elapsed;
  }

  private static void requireFdLimit(String who, long pid, int agents) throws IOException {
    long limit = ProcFs.maxOpenFiles(pid);
    if (limit < (long) agents + FD_HEADROOM) {
      throw new IllegalStateException(
          who
              + " may open only "
              + limit
              + " files but "
              + agents
              + " agents need about "
              + (agents + FD_HEADROOM)
              + "; raise `ulimit -n`");
    }
  }
}
