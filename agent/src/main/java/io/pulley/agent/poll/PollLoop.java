package io.pulley.agent.poll;

import io.pulley.agent.apply.Applier;
import io.pulley.agent.apply.PlanApplier;
import io.pulley.agent.facts.HostFactsCollector;
import io.pulley.agent.metrics.AgentMetrics;
import io.pulley.agent.state.StateStore;
import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostHealth;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.PollRequest;
import io.pulley.wire.WireLimits;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's loop: deliver any pending report, long-poll, and on a new plan persist it, apply it
 * and report. Failures back off with jitter; the applied plan keeps running meanwhile. Runs on one
 * thread; {@link #stop} and {@link #lastReport} may be called from any other.
 */
public final class PollLoop {
  private static final Logger log = LoggerFactory.getLogger(PollLoop.class);
  private static final Duration REPORT_DEADLINE = Duration.ofSeconds(30);

  /** How {@link #runOnce} ended; the command line maps it to an exit status. */
  public enum OnceResult {
    SUCCEEDED,
    APPLY_FAILED,
    UNREACHABLE
  }

  /**
   * Timing and seams.
   *
   * @param pollHold how long the agent asks the controller to hold a poll while nothing changes
   * @param onceDeadline for {@code --once}: a held poll past it means "unchanged"
   * @param reconvergeInterval how long after an apply the same plan is applied again, so that drift
   *     is corrected; zero never
   */
  public record Settings(
      Duration pollHold,
      Duration onceDeadline,
      Backoff backoff,
      Sleeper sleeper,
      ConnectionListener listener,
      Duration reconvergeInterval) {
    /** The asked hold and 30 s for the answer; no less than an unasked hold needs (WireLimits). */
    public Duration pollDeadline() {
      long asked = pollHold.getSeconds() + 30;
      return Duration.ofSeconds(Math.max(asked, WireLimits.AGENT_POLL_DEADLINE_SECONDS));
    }
  }

  private final String hostId;
  private final Map<String, String> labels;
  private final ControllerClient client;
  private final StateStore store;
  private final PlanApplier applier;
  private final HostFactsCollector facts;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final Settings settings;

  /** How long a refused host waits before asking again: only an admin can change the answer. */
  public static final Duration REFUSED_RETRY = Duration.ofMinutes(1);

  private final ConnectionTracker tracker;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final FailedPlanRetry retry = new FailedPlanRetry(new Random());
  private volatile ApplyReport lastReport;

  public PollLoop(
      String hostId,
      Map<String, String> labels,
      ControllerClient client,
      StateStore store,
      PlanApplier applier,
      HostFactsCollector facts,
      AgentMetrics metrics,
      Clock clock,
      Settings settings)
      throws IOException {
    this.hostId = hostId;
    this.labels = Map.copyOf(labels);
    this.client = client;
    this.store = store;
    this.applier = applier;
    this.facts = facts;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
    this.tracker = new ConnectionTracker(settings.listener());
    this.lastReport = store.lastReport().orElse(null);
  }

  /** Runs until {@link #stop}. */
  public void run() {
    try {
      resumeUnfinished();
    } catch (IOException e) {
      log.error("cannot read or write the agent's state: {}", e.getMessage(), e);
    }
    while (!stopping.get()) {
      try {
        reconvergeIfDue();
        if (!deliverPendingReport()) {
          backOff();
          continue;
        }
        Duration deadline = pollDeadline();
        step(client.poll(request(), deadline), deadline.compareTo(settings.pollDeadline()) < 0);
      } catch (IOException e) {
        log.error("cannot read or write the agent's state: {}", e.getMessage(), e);
        backOff();
      }
    }
    log.info("poll loop stopped");
  }

  /** The poll's deadline, cut short when a reconvergence comes due sooner than its end. */
  private Duration pollDeadline() {
    Instant now = clock.instant();
    Optional<Instant> due =
        ReconvergeSchedule.nextDue(
            settings.reconvergeInterval(), lastReport, appliedPlanIsCurrent(), retry.after(), now);
    return ReconvergeSchedule.pollDeadline(settings.pollDeadline(), due, now);
  }

  private boolean appliedPlanIsCurrent() {
    try {
      return store.planId().equals(Optional.of(store.appliedPlanId()));
    } catch (IOException e) {
      return false;
    }
  }

  private void step(ControllerClient.PollAnswer answer, boolean cutShort) throws IOException {
    if (cutShort && answer.kind() == ControllerClient.Kind.HELD_PAST_DEADLINE) {
      return;
    }
    switch (answer.kind()) {
      case NEW_PLAN -> {
        reachable(AgentMetrics.PollResult.NEW_PLAN);
        apply(answer.plan());
      }
      case UNCHANGED -> reachable(AgentMetrics.PollResult.UNCHANGED);
      case CANCELLED -> log.debug("poll cancelled");
      case REFUSED -> {
        metrics.poll(AgentMetrics.PollResult.ERROR);
        logRefused(answer.error());
        sleep(REFUSED_RETRY);
      }
      case HELD_PAST_DEADLINE, FAILED -> {
        metrics.poll(AgentMetrics.PollResult.ERROR);
        unreachable(answer.error());
        backOff();
      }
    }
  }

  /**
   * One round for {@code --once}: resume, deliver, poll without waiting out a hold, apply and
   * report.
   */
  public OnceResult runOnce() throws IOException {
    boolean failed = resumeUnfinished();
    if (!deliverPendingReport()) {
      return OnceResult.UNREACHABLE;
    }
    ControllerClient.PollAnswer answer =
        client.poll(request().toBuilder().setNoHold(true).build(), settings.onceDeadline());
    switch (answer.kind()) {
      case NEW_PLAN -> {
        metrics.poll(AgentMetrics.PollResult.NEW_PLAN);
        failed = !apply(answer.plan());
        if (!deliverPendingReport()) {
          log.warn("the report stays pending and is sent by the next run");
        }
      }
      case UNCHANGED, HELD_PAST_DEADLINE -> metrics.poll(AgentMetrics.PollResult.UNCHANGED);
      case REFUSED -> {
        metrics.poll(AgentMetrics.PollResult.ERROR);
        logRefused(answer.error());
        return OnceResult.UNREACHABLE;
      }
      case FAILED, CANCELLED -> {
        metrics.poll(AgentMetrics.PollResult.ERROR);
        log.warn("controller unreachable: {}", answer.error());
        return OnceResult.UNREACHABLE;
      }
    }
    return failed ? OnceResult.APPLY_FAILED : OnceResult.SUCCEEDED;
  }

  /** Asks the loop to end: the resource being applied finishes, no new one starts. */
  public void stop() {
    stopping.set(true);
    client.cancel();
    settings.sleeper().cancel();
  }

  public Optional<ApplyReport> lastReport() {
    return Optional.ofNullable(lastReport);
  }

  /**
   * Re-applies a persisted plan that a crash or stop interrupted; the executors are idempotent.
   * Returns whether that apply failed.
   */
  private boolean resumeUnfinished() throws IOException {
    Optional<HostPlan> plan = store.plan();
    // A reconvergence of an applied plan cut short is resumed too: it may have been mid-change.
    if (plan.isEmpty()
        || (plan.get().getPlanId().equals(store.appliedPlanId())
            && applier.interrupted().isEmpty())) {
      return false;
    }
    log.info("resuming plan {}, which was not fully applied", plan.get().getPlanId());
    return !apply(plan.get());
  }

  /**
   * Applies the current plan again when the last apply is {@code reconvergeInterval} old, although
   * the plan did not change: files edited or services stopped by hand are put back. Works while the
   * controller is unreachable; the report is delivered when it is back.
   */
  private void reconvergeIfDue() throws IOException {
    Optional<Instant> due = ReconvergeSchedule.dueAt(settings.reconvergeInterval(), lastReport);
    if (due.isEmpty() || clock.instant().isBefore(due.get()) || !appliedPlanIsCurrent()) {
      return;
    }
    HostPlan plan = store.plan().orElseThrow();
    log.info("reconverging plan {} ({} after the last apply)", plan.getPlanId(), due.get());
    apply(plan);
  }

  /** Persists, applies and records {@code plan}; returns false if the apply failed. */
  private boolean apply(HostPlan plan) throws IOException {
    store.savePlan(plan); // before acting, so a crash mid-apply resumes this plan
    log.info("applying plan {} ({} applications)", plan.getPlanId(), plan.getAppsCount());
    Instant started = clock.instant();
    Applier.Run run = applier.apply(plan, stopping::get);
    if (!run.complete()) {
      log.info("apply of plan {} stopped early; it resumes on the next start", plan.getPlanId());
      return true;
    }
    ApplyReport report = ReportFit.fit(run.report());
    boolean succeeded = report.getOutcome() == ApplyOutcome.APPLY_OUTCOME_SUCCEEDED;
    store.saveReport(report);
    // Marked applied even when it failed: the controller would otherwise resend it at once, and
    // the report already says it failed (health DEGRADED); a new plan, or the retry, applies it.
    store.markApplied(plan.getPlanId());
    retry.applied(plan.getPlanId(), report);
    lastReport = report;
    Instant finished = clock.instant();
    metrics.applied(succeeded, Duration.between(started, finished), finished);
    log.info("plan {} applied: {}", plan.getPlanId(), report.getOutcome());
    return succeeded;
  }

  /** Sends the pending report, if any; false if the controller could not take it. */
  private boolean deliverPendingReport() throws IOException {
    Optional<ApplyReport> pending = store.pendingReport();
    if (pending.isEmpty()) {
      return true;
    }
    ControllerClient.ReportAnswer answer = client.report(pending.get(), REPORT_DEADLINE);
    if (answer.refused()) {
      // Sending it again would be refused again, and no poll would follow: drop it.
      log.error(
          "the controller refused the report of plan {}; it is dropped: {}",
          pending.get().getPlanId(),
          answer.reason());
    } else if (!answer.delivered()) {
      if (!stopping.get()) {
        unreachable("report: " + answer.reason());
      }
      return false;
    }
    store.reportDelivered();
    tracker.success();
    settings.backoff().reset();
    return true;
  }

  private PollRequest request() throws IOException {
    return PollRequest.newBuilder()
        .setHostId(hostId)
        .setFacts(facts.collect(labels))
        .setAppliedPlanId(retry.due(lastReport, clock.instant()) ? "" : store.appliedPlanId())
        .setHealth(health())
        .setHoldSeconds((int) settings.pollHold().getSeconds())
        // Answered at once after a failed call: the outage's end is known then, not a hold later.
        .setNoHold(tracker.failures() > 0)
        .build();
  }

  private HostHealth health() {
    ApplyReport report = lastReport;
    return report == null || report.getOutcome() == ApplyOutcome.APPLY_OUTCOME_SUCCEEDED
        ? HostHealth.HOST_HEALTH_HEALTHY
        : HostHealth.HOST_HEALTH_DEGRADED;
  }

  private void reachable(AgentMetrics.PollResult result) {
    metrics.poll(result);
    tracker.success();
    settings.backoff().reset();
  }

  private void unreachable(String error) {
    log.debug("controller call failed: {}", error);
    tracker.failure(error);
  }

  private void logRefused(String error) {
    log.error(
        "the controller refused host {} ({}): is it revoked or removed (`pulley hosts`), or did"
            + " its certificate expire? Asking again in {} s",
        hostId,
        error,
        REFUSED_RETRY.toSeconds());
  }

  private void backOff() {
    sleep(settings.backoff().next());
  }

  private void sleep(Duration wait) {
    if (stopping.get()) {
      return;
    }
    try {
      settings.sleeper().sleep(wait);
      client.reconnectNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.set(true);
    }
  }
}
