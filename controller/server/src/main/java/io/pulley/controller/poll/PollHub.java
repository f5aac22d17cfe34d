package io.pulley.controller.poll;

import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.v1.HostPlan;
import io.pulley.v1.PollRequest;
import io.pulley.v1.PollResponse;
import io.pulley.v1.PollStatus;
import io.pulley.wire.WireLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds agents' long-polls and answers each one as soon as its host's plan differs from the plan
 * the host has applied, or with UNCHANGED when the hold time runs out.
 *
 * <p>Thread-safe. Every held poll is answered exactly once: by a new plan, by its timeout, by a
 * newer poll from the same host, or not at all if the client cancelled it.
 */
public final class PollHub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PollHub.class);

  private final Function<String, HostPlan> planOfHost;
  private final HostRegistry hosts;
  private final ScheduledExecutorService timer;
  private final Executor fanOut;
  private final HoldTime holdTime;
  private final ControllerMetrics metrics;
  private final Map<String, HeldPoll> held = new ConcurrentHashMap<>();

  /**
   * @param planOfHost renders the plan a known host should have now
   * @param fanOut runs the re-evaluation of held polls after a change, off the caller's thread
   */
  public PollHub(
      Function<String, HostPlan> planOfHost,
      HostRegistry hosts,
      ScheduledExecutorService timer,
      Executor fanOut,
      HoldTime holdTime,
      ControllerMetrics metrics) {
    this.planOfHost = planOfHost;
    this.hosts = hosts;
    this.timer = timer;
    this.fanOut = fanOut;
    this.holdTime = holdTime;
    this.metrics = metrics;
    metrics.gaugeHeldPolls(held::size);
  }

  /** Answers {@code request} now if the host's plan changed, else holds it. */
  public void poll(PollRequest request, PollResponder responder) {
    String hostId = request.getHostId();
    hosts.recordPoll(request);
    HostPlan plan = planOfHost.apply(hostId);
    if (!plan.getPlanId().equals(request.getAppliedPlanId())) {
      metrics.pollAnswered("new_plan", Duration.ZERO);
      responder.respond(newPlan(plan));
      return;
    }
    if (request.getNoHold()) {
      metrics.pollAnswered("unchanged", Duration.ZERO);
      responder.respond(unchanged());
      return;
    }
    HeldPoll poll = new HeldPoll(hostId, request.getAppliedPlanId(), responder, System.nanoTime());
    HeldPoll previous = held.put(hostId, poll);
    if (previous != null) {
      // An agent holds one poll at a time; an older one is from a connection it has abandoned.
      answer(previous, unchanged(), "replaced");
    }
    responder.onCancel(() -> forget(poll));
    Duration hold =
        request.getHoldSeconds() > 0 ? holdTime.asked(request.getHoldSeconds()) : holdTime.next();
    poll.timeout =
        timer.schedule(
            () -> answer(poll, unchanged(), "unchanged"), hold.toMillis(), TimeUnit.MILLISECONDS);
    // A plan may have changed between rendering above and parking; look once more.
    recheck(poll);
  }

  /** Re-evaluates every held poll; call after anything that may change hosts' plans. */
  public void plansChanged() {
    for (HeldPoll poll : held.values()) {
      fanOut.execute(() -> recheck(poll));
    }
  }

  /** Ends the host's held poll, if any, with an error: it has been revoked or removed. */
  public void cutOff(String hostId, String reason) {
    HeldPoll poll = held.get(hostId);
    if (poll == null || !poll.markAnswered()) {
      return;
    }
    held.remove(hostId, poll);
    if (poll.timeout != null) {
      poll.timeout.cancel(false);
    }
    metrics.pollAnswered("cut_off", Duration.ofNanos(System.nanoTime() - poll.startNanos));
    try {
      poll.responder.refuse(reason);
    } catch (RuntimeException e) {
      log.debug("ending the poll of host {} failed: {}", hostId, e.toString());
    }
  }

  /** Re-evaluates one host's held poll (its labels changed). */
  public void planChanged(String hostId) {
    HeldPoll poll = held.get(hostId);
    if (poll != null) {
      fanOut.execute(() -> recheck(poll));
    }
  }

  /** Whether a poll of this host is being held right now. */
  public boolean isHeld(String hostId) {
    return held.containsKey(hostId);
  }

  /** Number of polls held right now. */
  public int heldCount() {
    return held.size();
  }

  private void recheck(HeldPoll poll) {
    if (poll.isAnswered()) {
      return;
    }
    HostPlan plan;
    try {
      plan = planOfHost.apply(poll.hostId);
    } catch (RuntimeException e) {
      log.error("rendering the plan of host {} failed", poll.hostId, e);
      return;
    }
    if (!plan.getPlanId().equals(poll.appliedPlanId)) {
      answer(poll, newPlan(plan), "new_plan");
    }
  }

  private void answer(HeldPoll poll, PollResponse response, String result) {
    if (!poll.markAnswered()) {
      return;
    }
    held.remove(poll.hostId, poll);
    if (poll.timeout != null) {
      poll.timeout.cancel(false);
    }
    metrics.pollAnswered(result, Duration.ofNanos(System.nanoTime() - poll.startNanos));
    try {
      poll.responder.respond(response);
    } catch (RuntimeException e) {
      // The call may have been cancelled concurrently; the agent will poll again.
      log.debug("answering the poll of host {} failed: {}", poll.hostId, e.toString());
    }
  }

  private void forget(HeldPoll poll) {
    if (poll.markAnswered()) {
      held.remove(poll.hostId, poll);
      if (poll.timeout != null) {
        poll.timeout.cancel(false);
      }
      metrics.pollAnswered("cancelled", Duration.ofNanos(System.nanoTime() - poll.startNanos));
    }
  }

  /** Answers every held poll with UNCHANGED, so agents reconnect to the next controller. */
  @Override
  public void close() {
    for (HeldPoll poll : held.values()) {
      answer(poll, unchanged(), "shutdown");
    }
  }

  private static PollResponse newPlan(HostPlan plan) {
    return PollResponse.newBuilder()
        .setStatus(PollStatus.POLL_STATUS_NEW_PLAN)
        .setPlan(plan)
        .build();
  }

  private static PollResponse unchanged() {
    return PollResponse.newBuilder().setStatus(PollStatus.POLL_STATUS_UNCHANGED).build();
  }

  /** How long to hold a poll: a base time with jitter, so agents do not poll in lockstep. */
  public static final class HoldTime {
    private final Duration base;
    private final Duration jitter;
    private final Random random;

    /** Holds for {@code base} plus or minus up to {@code jitter}. */
    public HoldTime(Duration base, Duration jitter, Random random) {
      if (base.isNegative()
          || base.isZero()
          || jitter.isNegative()
          || jitter.compareTo(base) >= 0) {
        throw new IllegalArgumentException(
            "hold time needs 0 <= jitter < base, got base " + base + " jitter " + jitter);
      }
      this.base = base;
      this.jitter = jitter;
      this.random = random;
    }

    /**
     * The hold for an agent that asked for {@code seconds} (capped at {@link
     * WireLimits#MAX_ASKED_POLL_HOLD_SECONDS}): jittered down by up to 1/8, never up, so that the
     * answer comes before the agent gives up waiting.
     */
    Duration asked(long seconds) {
      long askedMillis = Math.min(seconds, WireLimits.MAX_ASKED_POLL_HOLD_SECONDS) * 1000;
      return Duration.ofMillis(askedMillis - draw(0, askedMillis / 8));
    }

    Duration next() {
      long jitterMillis = jitter.toMillis();
      return base.plusMillis(jitterMillis == 0 ? 0 : draw(-jitterMillis, jitterMillis));
    }

    /** A random whole number from {@code lowest} to {@code highest}, both included. */
    private long draw(long lowest, long highest) {
      synchronized (random) {
        return random.nextLong(lowest, highest + 1);
      }
    }
  }
}
