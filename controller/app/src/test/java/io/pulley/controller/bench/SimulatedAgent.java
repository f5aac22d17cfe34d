package io.pulley.controller.bench;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.pulley.v1.AgentServiceGrpc;
import io.pulley.v1.AppPlan;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostHealth;
import io.pulley.v1.HostPlan;
import io.pulley.v1.PollRequest;
import io.pulley.v1.PollResponse;
import io.pulley.v1.PollStatus;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One simulated agent: polls with an empty plan id, then long-polls with the plan it got until the
 * benchmark's application appears in its plan. It applies nothing. Its callbacks run one at a time
 * (one poll is in flight at most), so its fields need only visibility, not locking.
 */
final class SimulatedAgent {
  private static final long POLL_DEADLINE_SECONDS = 120;
  private static final int MAX_CONSECUTIVE_FAILURES = 5;

  private final int index;
  private final String hostId;
  private final HostFacts facts;
  private final String application;
  private final AgentServiceGrpc.AgentServiceStub stub;
  private final FleetProgress progress;
  private final ScheduledExecutorService scheduler;
  private final Random random;

  private volatile String appliedPlanId = "";
  private volatile boolean everHeld;
  private volatile boolean stopped;
  private volatile int consecutiveFailures;

  SimulatedAgent(
      int index,
      HostFacts facts,
      String application,
      Channel channel,
      FleetProgress progress,
      ScheduledExecutorService scheduler,
      Random random) {
    this.index = index;
    this.hostId = facts.getHostname();
    this.facts = facts;
    this.application = application;
    this.stub = AgentServiceGrpc.newStub(channel);
    this.progress = progress;
    this.scheduler = scheduler;
    this.random = random;
  }

  /** Host id of the n-th agent, counting from 1: sim-00001, sim-00002, ... */
  static String hostId(int number) {
    return String.format("sim-%05d", number);
  }

  void start() {
    poll();
  }

  /** Sends no further polls; the caller closes the channel. */
  void stop() {
    stopped = true;
  }

  private void poll() {
    if (stopped) {
      return;
    }
    String applied = appliedPlanId;
    boolean held = !applied.isEmpty();
    if (held) {
      progress.pollHeld(!everHeld);
      everHeld = true;
    }
    PollRequest request =
        PollRequest.newBuilder()
            .setHostId(hostId)
            .setFacts(facts)
            .setAppliedPlanId(applied)
            .setHealth(HostHealth.HOST_HEALTH_HEALTHY)
            .build();
    stub.withDeadlineAfter(POLL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .poll(request, new PollObserver(held));
  }

  private void answered(PollResponse response, long receivedAt) {
    consecutiveFailures = 0;
    if (response.getStatus() == PollStatus.POLL_STATUS_NEW_PLAN) {
      if (containsApplication(response.getPlan())) {
        progress.newPlanArrived(index, receivedAt);
        return;
      }
      appliedPlanId = response.getPlan().getPlanId();
    }
    // UNCHANGED (the hold timed out) or a plan without our application: keep long-polling.
    poll();
  }

  private void failed() {
    progress.pollFailed();
    int failures = ++consecutiveFailures;
    if (failures >= MAX_CONSECUTIVE_FAILURES) {
      progress.agentGaveUp(index, everHeld);
      return;
    }
    // Jittered back-off, like a real agent, so failed agents do not retry in lock-step.
    long delayMillis = 500L * failures + random.nextInt(1000);
    scheduler.schedule(this::poll, delayMillis, TimeUnit.MILLISECONDS);
  }

  private boolean containsApplication(HostPlan plan) {
    for (AppPlan app : plan.getAppsList()) {
      if (app.getApplication().equals(application)) {
        return true;
      }
    }
    return false;
  }

  /** Callbacks of one poll; a unary call delivers onNext then onCompleted, or only onError. */
  private final class PollObserver implements StreamObserver<PollResponse> {
    private final boolean held;

    PollObserver(boolean held) {
      this.held = held;
    }

    @Override
    public void onNext(PollResponse response) {
      long receivedAt = System.nanoTime();
      if (held) {
        progress.heldPollReturned();
      }
      answered(response, receivedAt);
    }

    @Override
    public void onError(Throwable error) {
      if (held) {
        progress.heldPollReturned();
      }
      if (!stopped) {
        failed();
      }
    }

    @Override
    public void onCompleted() {}
  }
}
