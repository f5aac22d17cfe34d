package io.pulley.controller.bench;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.pulley.trust.Credentials;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApplyManifestResponse;
import io.pulley.v1.GetRevisionRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement: a fresh controller, N agents long-polling it (over mTLS, first enrolled), then
 * one new revision that all of them must receive, then a restart of the controller that all of them
 * must survive. Every wait is bounded; the controller is stopped whatever happens.
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

  /** TLS handshakes may fall behind the ramp; waiting costs nothing once every poll is held. */
  private static final Duration RAMP_SLACK = Duration.ofSeconds(240);

  private static final Duration FANOUT_TIMEOUT = Duration.ofSeconds(120);
  private static final long APPLY_DEADLINE_SECONDS = 60;

  /** File descriptors the load generator needs besides one per agent. */
  private static final int FD_HEADROOM = 200;

  private final BenchmarkOptions options;

  FanoutRun(BenchmarkOptions options) {
    this.options = options;
  }

  /** A fresh controller over {@code transport}: enrolment (mTLS), fan-out, reconnect storm. */
  TransportRun run(int agents, Transport transport) throws IOException, InterruptedException {
    requireFdLimit("this load generator", ProcessHandle.current().pid(), agents);
    try (BenchController controller = BenchController.start(options.controllerJar(), transport)) {
      requireFdLimit("the controller", controller.pid(), agents);
      Thread.sleep(SETTLE.toMillis());
      try (BenchAccess access =
          BenchAccess.open(controller.address(), controller.dataDir(), transport)) {
        Optional<EnrolResult> enrolment = Optional.empty();
        IntFunction<ChannelCredentials> credentials = agent -> InsecureChannelCredentials.create();
        if (transport == Transport.MTLS) {
          List<Credentials> hosts = new ArrayList<>();
          enrolment = Optional.of(enrol(controller, access, agents, hosts));
          credentials = FleetEnrolment.mutualTls(hosts);
        }
        ProcessSample beforeRamp = controller.sample();
        try (SimulatedFleet fleet =
            new SimulatedFleet(
                controller.address(),
                agents,
                APPLICATION,
                agents,
                credentials,
                SimulatedFleet.RESTART_PATIENCE)) {
          warmUp(access.admin());
          FanoutResult fanout = measure(controller, fleet, access.admin(), agents, beforeRamp);
          try {
            StormResult storm = StormRun.run(controller, fleet, transport);
            return new TransportRun(transport, agents, enrolment, fanout, Optional.of(storm), "");
          } catch (IOException | IllegalStateException e) {
            LOG.error("event=storm_failed agents={} error={}", agents, e.toString());
            return new TransportRun(
                transport, agents, enrolment, fanout, Optional.empty(), e.getMessage());
          }
        }
      }
    }
  }

  /** Enrols {@code agents} hosts into {@code hosts}; what it cost. */
  private static EnrolResult enrol(
      BenchController controller, BenchAccess access, int agents, List<Credentials> hosts)
      throws IOException, InterruptedException {
    long preparing = System.nanoTime();
    List<FleetEnrolment.Applicant> applicants =
        FleetEnrolment.applicants(agents, SimulatedAgent::hostId);
    long prepared = System.nanoTime();
    FleetEnrolment enrolment = new FleetEnrolment(controller.address(), access.hostTokens(agents));
    ProcessSample before = controller.sample();
    long start = System.nanoTime();
    hosts.addAll(enrolment.enrol(applicants));
    long elapsed = System.nanoTime() - start;
    ProcessSample after = controller.sample();
    EnrolResult result =
        new EnrolResult(
            agents, prepared - preparing, elapsed, after.cpuMillisSince(before), after.rssMib());
    LOG.info("event=enrolled {}", result.row());
    return result;
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
        "event=ramp_done agents={} held={} seconds={} load_generator_rss_mb={} failures={}",
        agents,
        progress.heldNow(),
        String.format("%.1f", rampSeconds),
        Math.round(ProcFs.sample(ProcessHandle.current().pid()).rssMib()),
        progress.topFailureReasons(3));
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
  static long applyManifest(ManagedChannel admin) {
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
