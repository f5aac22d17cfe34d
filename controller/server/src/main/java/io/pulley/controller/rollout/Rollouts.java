package io.pulley.controller.rollout;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.ControllerEvent.RolloutHalted;
import io.pulley.controller.events.ControllerEvent.RolloutMoved;
import io.pulley.controller.events.Events;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.plan.PlanRenderer;
import io.pulley.controller.store.Store;
import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.HostState;
import io.pulley.v1.Resource;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutAction;
import io.pulley.v1.RolloutStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rollouts of every application and environment whose manifest has a rollout policy: started
 * when a revision is stored, moved on by {@link #tick()} from what hosts report, paused, resumed
 * and aborted by admins, and asked by the plans which revision each host gets.
 *
 * <p>Thread-safe: changes are serialised; readers see an immutable snapshot per application, and
 * {@link #version()} tells plan caches when any pin may have moved.
 */
public final class Rollouts implements RevisionChooser {
  /**
   * A revision chosen for a host, and whether its once-per-environment commands are in its plan.
   */
  public record Choice(Revision revision, boolean withOnceCommands) {}

  /** Where older revisions are read from (the revision log). */
  @FunctionalInterface
  public interface RevisionSource {
    Optional<Revision> get(AppEnv app, long number);
  }

  private final Store store;
  private final HostRegistry hosts;
  private final Fleet fleet;
  private final AuditTrail audit;
  private final Clock clock;
  private final RevisionSource revisions;
  private final Map<AppEnv, Rollout> latest = new ConcurrentHashMap<>();
  private final Map<RevisionKey, Revision> olderRevisions = new ConcurrentHashMap<>();
  private final Events events;
  private volatile long version;

  /**
   * @param events told when hosts' revisions may move ({@link RolloutMoved}) and when a rollout
   *     halts ({@link RolloutHalted}), while this holds its lock
   */
  public Rollouts(
      Store store,
      HostRegistry hosts,
      Fleet fleet,
      AuditTrail audit,
      Clock clock,
      RevisionSource revisions,
      Events events) {
    this.store = store;
    this.hosts = hosts;
    this.fleet = fleet;
    this.audit = audit;
    this.clock = clock;
    this.revisions = revisions;
    this.events = events;
    for (Rollout rollout : store.latestRollouts()) {
      latest.put(AppEnv.of(rollout), rollout);
    }
  }

  /** Counts every change of any rollout; equal values mean every host's pins are unchanged. */
  @Override
  public long version() {
    return version;
  }

  /**
   * Starts the rollout of a newly stored revision if its manifest has a policy; a rollout still
   * running for an older revision is superseded, its hosts keeping what it gave them until their
   * turn in the new one.
   *
   * @param previous the revision that was current before, if any
   */
  public synchronized void revisionStored(Revision revision, Optional<Revision> previous) {
    AppEnv app = AppEnv.of(revision);
    audit.record(
        app, revision.getNumber(), "revision", revision.getAppliedBy(), describeRevision(revision));
    Optional<Rollout> last = Optional.ofNullable(latest.get(app));
    last.filter(Rollouts::unfinished)
        .ifPresent(
            old -> {
              Rollout superseded =
                  old.toBuilder()
                      .setStatus(RolloutStatus.ROLLOUT_STATUS_SUPERSEDED)
                      .setReason("revision " + revision.getNumber() + " came before it ended")
                      .setFinishedAt(ProtoTime.timestamp(clock.instant()))
                      .build();
              store.putRollout(superseded);
              latest.put(app, superseded);
            });
    if (!revision.getManifest().hasRollout()) {
      changed(app);
      return;
    }
    // Pins of a rollout for an older revision than the one before are not this revision's past.
    Optional<Rollout> governing =
        last.filter(r -> previous.map(p -> p.getNumber() == r.getRevision()).orElse(false));
    boolean rollback = revision.getOrigin() == RevisionOrigin.REVISION_ORIGIN_ROLLBACK;
    Rollout started =
        NewRollout.start(
            revision,
            selectedHosts(revision),
            governing,
            previous.map(Revision::getNumber).orElse(0L),
            rollback,
            clock.instant());
    store.putRollout(started);
    latest.put(app, started);
    audit.record(
        app,
        revision.getNumber(),
        "rollout",
        "controller",
        "rollout of revision "
            + revision.getNumber()
            + " started: "
            + describeBatches(started)
            + (rollback ? " (a rollback: every host at once)" : ""));
    advance(started, revision);
  }

  /** Moves every unfinished rollout on; called every second and after reports. */
  public synchronized void tick() {
    for (Rollout rollout : List.copyOf(latest.values())) {
      if (unfinished(rollout)) {
        revision(AppEnv.of(rollout), rollout.getRevision())
            .ifPresent(revision -> advance(rollout, revision));
      }
    }
  }

  /** Pauses, resumes or aborts the newest rollout of an application in an environment. */
  public synchronized RolloutControl.Result control(
      AppEnv app, RolloutAction action, String actor) {
    Rollout rollout = latest.get(app);
    if (rollout == null) {
      return new RolloutControl.Refused(
          app + " has no rollout (its manifest has no rollout policy)");
    }
    RolloutControl.Result result = RolloutControl.apply(rollout, action, clock.instant());
    if (result instanceof RolloutControl.Done done) {
      store.putRollout(done.rollout());
      latest.put(app, done.rollout());
      audit.record(app, rollout.getRevision(), "control", actor, done.event());
      changed(app);
      Optional<Revision> revision = revision(app, rollout.getRevision());
      revision.ifPresent(r -> advance(done.rollout(), r));
      return new RolloutControl.Done(latest.get(app), done.event());
    }
    return result;
  }

  /** The newest rollout of an application in an environment. */
  public Optional<Rollout> get(AppEnv app) {
    return Optional.ofNullable(latest.get(app));
  }

  /**
   * How the rollout of each revision from {@code fromRevision} on ended, or where it is; revisions
   * stored without a policy had none and are left out.
   */
  public Map<Long, RolloutStatus> statuses(AppEnv app, long fromRevision) {
    Map<Long, RolloutStatus> statuses = new HashMap<>();
    for (Rollout rollout : store.rollouts(app, fromRevision)) {
      statuses.put(rollout.getRevision(), rollout.getStatus());
    }
    // The newest may have moved on since it was last stored.
    get(app)
        .filter(r -> r.getRevision() >= fromRevision)
        .ifPresent(r -> statuses.put(r.getRevision(), r.getStatus()));
    return statuses;
  }

  /**
   * For each current revision, the revision {@code hostId} gets and whether its plan keeps the
   * once-per-environment commands; a revision the host gets none of is left out.
   */
  @Override
  public List<Choice> choose(String hostId, List<Revision> current) {
    List<Choice> choices = new ArrayList<>(current.size());
    for (Revision revision : current) {
      Rollout rollout = latest.get(AppEnv.of(revision));
      if (rollout == null || rollout.getRevision() != revision.getNumber()) {
        choices.add(new Choice(revision, true));
        continue;
      }
      long pinned = Pins.revisionFor(rollout, hostId);
      if (pinned == 0) {
        continue;
      }
      boolean once = pinned == rollout.getRevision() && hostId.equals(rollout.getFirstHost());
      if (pinned == revision.getNumber()) {
        choices.add(new Choice(revision, once));
      } else {
        revision(AppEnv.of(revision), pinned)
            .ifPresent(older -> choices.add(new Choice(older, false)));
      }
    }
    return choices;
  }

  /** {@code revision} without its once-per-environment commands. */
  public static Revision withoutOnceCommands(Revision revision) {
    List<Resource> kept =
        revision.getManifest().getResourcesList().stream().filter(r -> !onOneHost(r)).toList();
    if (kept.size() == revision.getManifest().getResourcesCount()) {
      return revision;
    }
    Revision.Builder copy = revision.toBuilder();
    copy.getManifestBuilder().clearResources().addAllResources(kept);
    return copy.build();
  }

  private void advance(Rollout rollout, Revision revision) {
    RolloutStepper.Step step =
        RolloutStepper.advance(rollout, fleet, clock.instant(), hasOnceCommands(revision));
    if (!step.changed(rollout)) {
      return;
    }
    Rollout next = step.rollout();
    AppEnv app = AppEnv.of(next);
    store.putRollout(next);
    latest.put(app, next);
    for (String event : step.events()) {
      audit.record(app, next.getRevision(), "rollout", "controller", event);
    }
    changed(app);
    if (next.getStatus() == RolloutStatus.ROLLOUT_STATUS_HALTED
        && rollout.getStatus() != RolloutStatus.ROLLOUT_STATUS_HALTED) {
      events.publish(new RolloutHalted(next));
    }
  }

  private void changed(AppEnv app) {
    version++;
    events.publish(new RolloutMoved(app));
  }

  private List<String> selectedHosts(Revision revision) {
    List<String> selected = new ArrayList<>();
    for (HostState host : hosts.all()) {
      if (PlanRenderer.selects(
          revision.getManifest().getHosts(), host.getHostId(), host.getFacts())) {
        selected.add(host.getHostId());
      }
    }
    return selected;
  }

  private Optional<Revision> revision(AppEnv app, long number) {
    RevisionKey key = new RevisionKey(app, number);
    Revision cached = olderRevisions.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Revision> read = revisions.get(app, number);
    read.ifPresent(r -> olderRevisions.put(key, r));
    return read;
  }

  private static boolean hasOnceCommands(Revision revision) {
    return revision.getManifest().getResourcesList().stream().anyMatch(Rollouts::onOneHost);
  }

  /**
   * A command once per environment; one run once in it, ever, is too; and the dump of the database
   * before them.
   */
  private static boolean onOneHost(Resource resource) {
    return (resource.hasCommand()
            && (resource.getCommand().getOncePerEnvironment()
                || resource.getCommand().getOnceEverInEnvironment()))
        || (resource.hasDatabaseDump() && resource.getDatabaseDump().getOncePerEnvironment());
  }

  private static boolean unfinished(Rollout rollout) {
    return RolloutControl.unfinished(rollout.getStatus());
  }

  private static String describeRevision(Revision revision) {
    String what =
        switch (revision.getOrigin()) {
          case REVISION_ORIGIN_ROLLBACK ->
              "rollback to the content of revision " + revision.getRestores();
          case REVISION_ORIGIN_TRACK -> revision.getTrigger();
          case REVISION_ORIGIN_PROMOTE -> "promote: " + revision.getTrigger();
          default -> "manifest applied";
        };
    return "revision " + revision.getNumber() + " stored: " + what;
  }

  /** Revision {@code number} of an application in an environment. */
  private record RevisionKey(AppEnv app, long number) {}

  private static String describeBatches(Rollout rollout) {
    if (rollout.getBatchesCount() == 0) {
      return "no host is selected yet";
    }
    List<String> sizes = new ArrayList<>();
    rollout.getBatchesList().forEach(b -> sizes.add(Integer.toString(b.getHostsCount())));
    // "batches of 1, 2 hosts; web-1 first"
    return (sizes.size() == 1 ? "one batch of " : "batches of ")
        + String.join(", ", sizes)
        + (sizes.size() == 1 && sizes.get(0).equals("1") ? " host; " : " hosts; ")
        + rollout.getFirstHost()
        + " first";
  }
}
