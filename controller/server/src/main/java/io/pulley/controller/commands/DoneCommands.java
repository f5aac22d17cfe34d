package io.pulley.controller.commands;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.ControllerEvent.CommandsDone;
import io.pulley.controller.events.Events;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.plan.PlanRenderer;
import io.pulley.controller.rollout.RevisionChooser;
import io.pulley.controller.rollout.Rollouts;
import io.pulley.controller.store.CommandDone;
import io.pulley.controller.store.Store;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostState;
import io.pulley.v1.Resource;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionRef;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The commands run once in an environment, ever ({@code once: environment}, a command resource's
 * {@code once_ever_in_environment}): the first report of one that succeeded is stored, written to
 * the trail, and from then on every plan of the environment leaves it out, whichever host and
 * revision it is for. Records are kept by resource id: a renamed command runs again.
 *
 * <p>Placed between the rollouts and the plans, as the {@link RevisionChooser} the plans ask: it
 * takes what the rollouts chose and removes what is done. Thread-safe.
 */
public final class DoneCommands implements RevisionChooser {
  private final Store store;
  private final HostRegistry hosts;
  private final AuditTrail audit;
  private final Clock clock;
  private final Rollouts.RevisionSource revisions;
  private final Events events;
  private final RevisionChooser rollouts;
  private final Map<AppEnv, Set<String>> done = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();

  /**
   * @param rollouts chooses the revisions, which this then strips of the commands done
   * @param events told ({@link CommandsDone}) when a command is newly done
   */
  public DoneCommands(
      Store store,
      HostRegistry hosts,
      AuditTrail audit,
      Clock clock,
      Rollouts.RevisionSource revisions,
      Events events,
      RevisionChooser rollouts) {
    this.store = store;
    this.hosts = hosts;
    this.audit = audit;
    this.clock = clock;
    this.revisions = revisions;
    this.events = events;
    this.rollouts = rollouts;
    for (CommandDone stored : store.commandsDone()) {
      doneIn(stored.app()).add(stored.resourceId());
    }
  }

  /**
   * Records every command of {@code report} that is run once in its environment, ever, and
   * succeeded (changed, or unchanged because a guard found it done) in a revision that has it and
   * selects the host. The report is within the wire limits.
   */
  public synchronized void reportReceived(ApplyReport report) {
    // Each application's revision and its once-ever commands are looked up once per report, not
    // once per resource: most reports carry no such command at all.
    Map<AppEnv, Optional<Revision>> revisionOfApp = new HashMap<>();
    Map<AppEnv, Set<String>> onceEver = new HashMap<>();
    for (ResourceResult result : report.getResultsList()) {
      if (!succeeded(result)) {
        continue;
      }
      AppEnv app = new AppEnv(result.getApplication(), result.getEnvironment());
      String id = result.getResourceId();
      if (isDone(app, id)) {
        continue;
      }
      Optional<Revision> revision = revisionOfApp.computeIfAbsent(app, k -> revisionOf(report, k));
      Set<String> commands =
          onceEver.computeIfAbsent(
              app,
              k -> revision.map(r -> onceEverCommands(r, report.getHostId())).orElse(Set.of()));
      if (commands.contains(id)) {
        record(app, id, revision.orElseThrow(), report);
      }
    }
  }

  /** Whether {@code resourceId} is recorded as done in {@code app}. */
  public boolean isDone(AppEnv app, String resourceId) {
    Set<String> ids = done.get(app);
    return ids != null && ids.contains(resourceId);
  }

  @Override
  public List<Rollouts.Choice> choose(String hostId, List<Revision> current) {
    return rollouts.choose(hostId, current).stream()
        .map(c -> new Rollouts.Choice(withoutDone(c.revision()), c.withOnceCommands()))
        .toList();
  }

  @Override
  public long version() {
    // Both only grow, so the sum changes whenever either does.
    return rollouts.version() + changes.get();
  }

  /** {@code revision} without the commands done in its environment. */
  Revision withoutDone(Revision revision) {
    Set<String> ids = done.get(AppEnv.of(revision));
    if (ids == null || ids.isEmpty()) {
      return revision;
    }
    List<Resource> kept =
        revision.getManifest().getResourcesList().stream()
            .filter(r -> !(r.hasCommand() && ids.contains(r.getId())))
            .toList();
    if (kept.size() == revision.getManifest().getResourcesCount()) {
      return revision;
    }
    Revision.Builder copy = revision.toBuilder();
    copy.getManifestBuilder().clearResources().addAllResources(kept);
    return copy.build();
  }

  private void record(AppEnv app, String resourceId, Revision revision, ApplyReport report) {
    CommandDone entry =
        new CommandDone(app, resourceId, revision.getNumber(), report.getHostId(), clock.instant());
    if (store.recordCommandDone(entry)) {
      audit.record(
          app,
          revision.getNumber(),
          "command",
          "host " + report.getHostId(),
          "command "
              + displayName(resourceId)
              + " done in "
              + app
              + " on "
              + report.getHostId()
              + " at revision "
              + revision.getNumber()
              + "; no later plan runs it");
    }
    // Also when another controller sharing the file recorded it first: its plans must follow.
    doneIn(app).add(resourceId);
    changes.incrementAndGet();
    events.publish(new CommandsDone(app));
  }

  private Optional<Revision> revisionOf(ApplyReport report, AppEnv app) {
    for (RevisionRef ref : report.getRevisionsList()) {
      if (ref.getApplication().equals(app.application())
          && ref.getEnvironment().equals(app.environment())) {
        return revisions.get(app, ref.getRevision());
      }
    }
    return Optional.empty();
  }

  /** The commands of {@code revision} run once ever, if it selects the host; else none. */
  private Set<String> onceEverCommands(Revision revision, String hostId) {
    HostFacts facts =
        hosts.get(hostId).map(HostState::getFacts).orElse(HostFacts.getDefaultInstance());
    if (!PlanRenderer.selects(revision.getManifest().getHosts(), hostId, facts)) {
      return Set.of();
    }
    return revision.getManifest().getResourcesList().stream()
        .filter(r -> r.hasCommand() && r.getCommand().getOnceEverInEnvironment())
        .map(Resource::getId)
        .collect(Collectors.toSet());
  }

  private Set<String> doneIn(AppEnv app) {
    return done.computeIfAbsent(app, k -> ConcurrentHashMap.newKeySet());
  }

  private static boolean succeeded(ResourceResult result) {
    return result.getOutcome() == ResourceOutcome.RESOURCE_OUTCOME_CHANGED
        || result.getOutcome() == ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED;
  }

  /** "init-db" for the stack's "command:init-db"; a resource's own id as it is. */
  private static String displayName(String resourceId) {
    String prefix = "command:";
    return resourceId.startsWith(prefix) ? resourceId.substring(prefix.length()) : resourceId;
  }
}
