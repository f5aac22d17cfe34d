package io.pulley.controller.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
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
 * One simulated agent: polls with an empty plan id, then long-polls with the plan it got, for as
 * long as it runs; it reports when the benchmark's application first appears in its plan. It
 * applies nothing. A failed poll is retried as the real agent retries: after a jittered back-off,
 * on a channel told to reconnect at once. Its callbacks run one at a time (one poll is in flight at
 * most), so its fields need only visibility, not locking.
 */
final class SimulatedAgent {
  private static final long POLL_DEADLINE_SECONDS = 120;

  private final int index;
  private final String hostId;
  private final HostFacts facts;
  private final String application;
  private final ManagedChannel channel;
  private final AgentServiceGrpc.AgentServiceStub stub;
  private final FleetProgress progress;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final int patience;

  private volatile String appliedPlanId = "";
  private volatile boolean everHeld;
  private volatile boolean gotApplication;
  private volatile boolean stopped;
  private volatile int consecutiveFailures;

  SimulatedAgent(
      int index,
      HostFacts facts,
      String application,
      ManagedChannel channel,
      FleetProgress progress,
      ScheduledExecutorService scheduler,
      Backoff backoff,
      int patience) {
    this.index = index;
    this.hostId = facts.getHostname();
    this.facts = facts;
    this.application = application;
    this.channel = channel;
    this.stub = AgentServiceGrpc.newStub(channel);
    this.progress = progress;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.patience = patience;
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
    progress.pollSent(index, System.nanoTime());
    stub.withDeadlineAfter(POLL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .poll(request, new PollObserver(held, System.nanoTime()));
  }

  private void answered(PollResponse response, long receivedAt) {
    consecutiveFailures = 0;
    backoff.reset();
    if (response.getStatus() == PollStatus.POLL_STATUS_NEW_PLAN) {
      if (!gotApplication && containsApplication(response.getPlan())) {
        gotApplication = true;
        progress.newPlanArrived(index, receivedAt);
      }
      appliedPlanId = response.getPlan().getPlanId();
    }
    // Whatever came, keep long-polling, as an agent does: a restart of the controller finds every
    // agent holding a poll.
    poll();
  }

  private void failed(Throwable error) {
    progress.pollFailed(reason(Status.fromThrowable(error)));
    int failures = ++consecutiveFailures;
    if (failures >= patience) {
      progress.agentGaveUp(index, everHeld);
      return;
    }
    scheduler.schedule(this::retry, backoff.nextMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The status and its innermost cause ("UNAVAILABLE: io exception (Connection refused)"), which
   * tells a controller that is down from a handshake that timed out.
   */
  private static String reason(Status status) {
    StringBuilder out = new StringBuilder(status.getCode().toString());
    if (status.getDescription() != null) {
      out.append(": ").append(status.getDescription());
    }
    Throwable cause = status.getCause();
    while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause != null) {
      out.append(" (").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        // Socket errors name the address; the kind of failure is what is counted.
        String message = cause.getMessage();
        int colon = message.indexOf(": /");
        out.append(": ").append(colon < 0 ? message : message.substring(0, colon));
      }
      out.append(')');
    }
    return out.toString();
  }

  /** As the agent's poll loop: its own back-off spaced the retry, so gRPC's is skipped. */
  private void retry() {
    channel.resetConnectBackoff();
    poll();
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
    private final long sentAt;

    PollObserver(boolean held, long sentAt) {
      this.held = held;
      this.sentAt = sentAt;
    }

    @Override
    public void onNext(PollResponse response) {
      long receivedAt = System.nanoTime();
      progress.pollEnded(index);
      progress.pollAnswered(index, sentAt);
      if (held) {
        progress.heldPollReturned();
      }
      answered(response, receivedAt);
    }

    @Override
    public void onError(Throwable error) {
      progress.pollEnded(index);
      if (held) {
        progress.heldPollReturned();
      }
      if (!stopped) {
        failed(error);
      }
    }

    @Override
    public void onCompleted() {}
  }

  /**
   * The agent's back-off ({@code io.pulley.agent.poll.Backoff.standard}): the n-th failure in a row
   * waits a uniformly random time up to min(30 s, 0.5 s × 2ⁿ⁻¹), so a fleet that lost its
   * controller does not come back in lock-step. Not thread-safe: owned by one agent.
   */
  static final class Backoff {
    private static final long INITIAL_MILLIS = 500;
    private static final long MAX_MILLIS = 30_000;

    private final Random random;
    private int failures;

    Backoff(Random random) {
      this.random = random;
    }

    long nextMillis() {
      long ceiling = Math.min(MAX_MILLIS, INITIAL_MILLIS << Math.min(failures, 20));
      failures++;
      return (long) (random.nextDouble() * ceiling);
    }

    void reset() {
      failures = 0;
    }
  }
}
