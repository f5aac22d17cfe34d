package io.pulley.controller.server;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.commands.DoneCommands;
import io.pulley.controller.events.EventRelay;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.hosts.LabelBinding;
import io.pulley.controller.manifest.GitRefResolver;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RemoteRefs;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.poll.HostPlans;
import io.pulley.controller.poll.PollHub;
import io.pulley.controller.promote.Promoter;
import io.pulley.controller.promote.Promotions;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.rollout.RegistryFleet;
import io.pulley.controller.rollout.Rollouts;
import io.pulley.controller.secrets.SecretKeeper;
import io.pulley.controller.store.Store;
import io.pulley.controller.tracking.Tracker;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's parts on one store, each built once every part it reads exists, and connected:
 * what a part publishes goes to {@link Reactions}; what happens every second is scheduled in {@link
 * #startTicking()}. The gRPC services and endpoints sit on top ({@link ControllerServer}).
 */
final class ControllerParts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerParts.class);

  final Store store;
  final HostRegistry hosts;
  final AuditTrail audit;
  final RevisionLog revisions;
  final Rollouts rollouts;
  final DoneCommands done;
  final Tracker tracker;
  final Promotions promotions;
  final Promoter promoter;
  final HostPlans plans;
  final PollHub polls;
  private final ScheduledExecutorService timer;
  private final ExecutorService fanOut;

  private ControllerParts(
      Store store,
      HostRegistry hosts,
      AuditTrail audit,
      RevisionLog revisions,
      Rollouts rollouts,
      DoneCommands done,
      Tracker tracker,
      Promotions promotions,
      Promoter promoter,
      HostPlans plans,
      PollHub polls,
      ScheduledExecutorService timer,
      ExecutorService fanOut) {
    this.store = store;
    this.hosts = hosts;
    this.audit = audit;
    this.revisions = revisions;
    this.rollouts = rollouts;
    this.done = done;
    this.tracker = tracker;
    this.promotions = promotions;
    this.promoter = promoter;
    this.plans = plans;
    this.polls = polls;
    this.timer = timer;
    this.fanOut = fanOut;
  }

  static ControllerParts assemble(
      Store store,
      LabelBinding labels,
      GitRefResolver resolver,
      Clock clock,
      ControllerMetrics metrics,
      ControllerConfig config) {
    EventRelay events = new EventRelay();
    HostRegistry hosts = new HostRegistry(store, clock, labels);
    AuditTrail audit = new AuditTrail(store, clock, metrics);
    SecretKeeper secrets = new SecretKeeper(store, new SecureRandom(), clock, audit);
    ManifestCompiler compiler = new ManifestCompiler(resolver, secrets.remoteAccess());
    RevisionLog revisions = new RevisionLog(store, compiler, secrets, clock, metrics, events);
    RegistryFleet fleet = new RegistryFleet(hosts, clock, config.pollHold().multipliedBy(3));
    Rollouts rollouts = new Rollouts(store, hosts, fleet, audit, clock, revisions::get, events);
    RemoteRefs remotes = resolver instanceof RemoteRefs refs ? refs : new JGitRefResolver();
    Tracker tracker =
        new Tracker(revisions, remotes, secrets.remoteAccess(), store, audit, clock, new Random());
    Promotions promotions =
        new Promotions(revisions, hosts, fleet, rollouts::get, store, audit, compiler);
    Promoter promoter = new Promoter(revisions, promotions, store, audit, clock);
    DoneCommands done =
        new DoneCommands(store, hosts, audit, clock, revisions::get, events, rollouts);
    HostPlans plans = new HostPlans(hosts, revisions, done);
    // Two threads: reading a Git remote for tracking (or compiling a promotion, which may read
    // one) may take seconds, and poll timeouts, host writes and rollout steps must not wait for
    // it.
    ScheduledExecutorService timer =
        Executors.newScheduledThreadPool(2, r -> daemon(r, "controller-timer"));
    ExecutorService fanOut = Executors.newFixedThreadPool(2, r -> daemon(r, "poll-fanout"));
    PollHub polls =
        new PollHub(
            plans::planFor,
            hosts,
            timer,
            fanOut,
            new PollHub.HoldTime(config.pollHold(), config.pollHoldJitter(), new Random()),
            metrics);
    events.connect(new Reactions(rollouts, tracker, polls));
    return new ControllerParts(
        store,
        hosts,
        audit,
        revisions,
        rollouts,
        done,
        tracker,
        promotions,
        promoter,
        plans,
        polls,
        timer,
        fanOut);
  }

  /** What happens every second, whatever else does; each task retries on the next round. */
  void startTicking() {
    timer.scheduleWithFixedDelay(this::flushHosts, 1, 1, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::moveRollouts, 1, 1, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::track, 1, 1, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::promote, 1, 1, TimeUnit.SECONDS);
  }

  /** Runs {@code task} every {@code period} from now on, until the parts close. */
  void every(java.time.Duration period, Runnable task) {
    timer.scheduleAtFixedRate(task, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads the Git remotes now, off the caller's thread (a verified webhook asks for this). */
  void trackSoon() {
    timer.execute(this::track);
  }

  /** Stops ticking and writes what hosts said last; the store stays open. */
  @Override
  public void close() {
    timer.shutdownNow();
    fanOut.shutdownNow();
    flushHosts();
  }

  private void flushHosts() {
    try {
      hosts.flush();
    } catch (RuntimeException e) {
      // A failed flush is retried a second later; the hosts stay marked.
      log.warn("writing host records failed: {}", e.toString());
    }
  }

  private void track() {
    try {
      tracker.tick();
    } catch (RuntimeException e) {
      log.warn("tracking Git remotes failed: {}", e.toString());
    }
  }

  private void promote() {
    try {
      promoter.tick();
    } catch (RuntimeException e) {
      // Health is looked at again a second later; a due promotion is tried then.
      log.warn("promoting by the manifests' rules failed: {}", e.toString());
    }
  }

  private void moveRollouts() {
    try {
      rollouts.tick();
    } catch (RuntimeException e) {
      // The next tick, a second later, tries again from the stored state.
      log.warn("moving rollouts on failed: {}", e.toString());
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
