package io.pulley.controller.tracking;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.CompileResult;
import io.pulley.controller.manifest.GitRefResolver;
import io.pulley.controller.manifest.GitRemotes;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RefResolution;
import io.pulley.controller.manifest.RemoteAccess;
import io.pulley.controller.manifest.RemoteRefs;
import io.pulley.controller.manifest.RemoteUrl;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.store.Release;
import io.pulley.controller.store.Store;
import io.pulley.v1.Manifest;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;
import io.pulley.v1.Rollout;
import io.pulley.v1.StackGit;
import io.pulley.v1.Tracking;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the Git remotes of tracked applications: reads each remote's refs on a jittered interval
 * (once per remote per round, however many applications share it), or at once when a webhook says
 * it changed, and stores a new revision when an application's rule picks a new ref or commit.
 * Quarantines the release of a rollout that halted, and the release an admin rolled back from.
 *
 * <p>Thread-safe; {@link #tick()} runs on one thread of its own, since reading a remote may take
 * seconds.
 */
public final class Tracker {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /**
   * Webhooks make a remote be read at most this often: a flood of validly signed deliveries (a
   * replay, a busy monorepo) costs one read per gap, and the last of them is read at its end.
   */
  public static final Duration NOTICE_GAP = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(Tracker.class);

  private final RevisionLog revisions;
  private final RemoteRefs remotes;
  private final Optional<RemoteAccess> access;
  private final Store store;
  private final AuditTrail audit;
  private final Clock clock;
  private final Random random;
  private final Map<String, Round> lastRead = new ConcurrentHashMap<>();
  private final Map<String, String> pendingNotice = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastNoticedRead = new ConcurrentHashMap<>();

  /** A tracker of public remotes only: it reads no secret. */
  public Tracker(
      RevisionLog revisions,
      RemoteRefs remotes,
      Store store,
      AuditTrail audit,
      Clock clock,
      Random random) {
    this(revisions, remotes, Optional.empty(), store, audit, clock, random);
  }

  /** A tracker that reads private remotes with the deploy keys and tokens {@code access} gives. */
  public Tracker(
      RevisionLog revisions,
      RemoteRefs remotes,
      RemoteAccess access,
      Store store,
      AuditTrail audit,
      Clock clock,
      Random random) {
    this(revisions, remotes, Optional.of(access), store, audit, clock, random);
  }

  private Tracker(
      RevisionLog revisions,
      RemoteRefs remotes,
      Optional<RemoteAccess> access,
      Store store,
      AuditTrail audit,
      Clock clock,
      Random random) {
    this.revisions = revisions;
    this.remotes = remotes;
    this.access = access;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.random = random;
  }

  /** Reads every remote that is due (or was noticed) and stores the revisions that calls for. */
  public synchronized void tick() {
    Instant now = clock.instant();
    Map<String, List<Revision>> byRemote = new LinkedHashMap<>();
    for (Revision revision : revisions.current()) {
      if (revision.getManifest().hasTrack() && !revision.getSourceYaml().isEmpty()) {
        byRemote
            .computeIfAbsent(
                revision.getManifest().getStack().getGit().getUrl(), u -> new ArrayList<>())
            .add(revision);
      }
    }
    lastRead.keySet().retainAll(byRemote.keySet());
    lastNoticedRead.keySet().retainAll(byRemote.keySet());
    for (Map.Entry<String, List<Revision>> remote : byRemote.entrySet()) {
      String url = remote.getKey();
      String notice = takeNotice(url, now);
      Round last = lastRead.get(url);
      // Due by the interval the manifests give now: an apply that shortens it counts at once.
      if (notice == null
          && last != null
          && now.isBefore(last.dueAfter(shortestInterval(remote.getValue())))) {
        continue;
      }
      lastRead.put(url, new Round(now, jitter()));
      if (notice != null) {
        lastNoticedRead.put(url, now);
      }
      read(url, remote.getValue(), notice == null ? "seen by polling" : notice);
    }
  }

  /**
   * The notice pending for {@code url}, taken if the last read a notice caused was {@link
   * #NOTICE_GAP} ago; otherwise it waits for a later tick, with any that follow it.
   */
  private String takeNotice(String url, Instant now) {
    Instant last = lastNoticedRead.get(url);
    if (last != null && now.isBefore(last.plus(NOTICE_GAP))) {
      return null;
    }
    return pendingNotice.remove(url);
  }

  /**
   * Makes the next tick read {@code application}'s remote whatever its interval, as a push webhook
   * asks, or the first tick {@link #NOTICE_GAP} after the last read a notice caused; {@code how}
   * says who noticed ("the GitHub webhook").
   *
   * @return false if the application tracks nothing
   */
  public boolean notice(AppEnv app, String how) {
    Optional<Revision> current = revisions.get(app, 0);
    if (current.isEmpty() || !current.get().getManifest().hasTrack()) {
      return false;
    }
    pendingNotice.put(current.get().getManifest().getStack().getGit().getUrl(), "seen by " + how);
    return true;
  }

  /** Quarantines the release of a halted rollout, so tracking does not deploy it again. */
  public void halted(Rollout rollout) {
    revisions
        .get(AppEnv.of(rollout), rollout.getRevision())
        .ifPresent(revision -> quarantine(revision, "its rollout halted: " + rollout.getReason()));
  }

  /** An admin's rollback quarantines the release rolled back from. */
  public void revisionStored(Revision revision, Optional<Revision> previous) {
    if (revision.getOrigin() == RevisionOrigin.REVISION_ORIGIN_ROLLBACK && previous.isPresent()) {
      quarantine(previous.get(), "an admin rolled it back");
    }
  }

  private void read(String url, List<Revision> tracking, String how) {
    Map<String, String> refs;
    try {
      refs = list(url, tracking.get(0));
    } catch (IOException e) {
      log.warn("tracking cannot read {}: {}", RemoteUrl.redact(url), e.getMessage());
      return;
    }
    for (Revision current : tracking) {
      Tracking track = current.getManifest().getTrack();
      Optional<TrackDecision.Target> target =
          TrackDecision.next(track, current, refs, store.quarantined(AppEnv.of(current)));
      target.ifPresent(t -> deploy(current, url, t, how));
    }
  }

  /**
   * The refs of {@code url}, read with the credentials and host key of {@code first}, the first
   * revision tracking it (applications sharing a remote share its access).
   */
  private Map<String, String> list(String url, Revision first) throws IOException {
    if (access.isEmpty()) {
      return remotes.list(url);
    }
    GitRemotes.Built built =
        GitRemotes.build(
            AppEnv.of(first),
            GitRemotes.Source.of(first.getManifest().getStack().getGit()),
            access.get());
    if (built instanceof GitRemotes.MissingSecret missing) {
      throw new IOException("stack.git." + missing.field() + ": " + missing.reason());
    }
    return remotes.list(((GitRemotes.Ready) built).remote());
  }

  private void deploy(Revision current, String url, TrackDecision.Target target, String how) {
    // The commit was just read: compile with it, not with a second ls-remote that may see another.
    GitRefResolver pinned =
        (u, ref) ->
            u.equals(url) && ref.equals(target.ref())
                ? RefResolution.resolved(target.commit())
                : RefResolution.unreachable("only " + target.ref() + " is read when tracking");
    AppEnv app = AppEnv.of(current);
    CompileResult compiled =
        access
            .map(a -> new ManifestCompiler(pinned, a))
            .orElseGet(() -> new ManifestCompiler(pinned))
            .compile(
                current.getSourceYaml(),
                app.toString(),
                manifest -> manifest.getStackBuilder().getGitBuilder().setRef(target.ref()));
    String trigger = target.why() + ", " + how;
    if (!compiled.ok()) {
      audit.record(
          app,
          current.getNumber(),
          "track",
          "tracker",
          "cannot deploy " + target.why() + ": " + compiled.errors().get(0).getReason());
      return;
    }
    Manifest manifest = compiled.manifest().orElseThrow();
    revisions.appendTracked(current, manifest, "tracker", trigger);
  }

  private void quarantine(Revision revision, String why) {
    StackGit git = revision.getManifest().getStack().getGit();
    if (git.getRef().isEmpty() || git.getCommit().isEmpty()) {
      return;
    }
    AppEnv app = AppEnv.of(revision);
    store.quarantine(app, new Release(git.getRef(), git.getCommit()), clock.instant());
    audit.record(
        app,
        revision.getNumber(),
        "quarantine",
        "controller",
        git.getRef()
            + " at "
            + git.getCommit().substring(0, Math.min(12, git.getCommit().length()))
            + " is quarantined: "
            + why
            + "; tracking and automatic promotion skip it until a newer release appears");
  }

  private static Duration shortestInterval(List<Revision> tracking) {
    return tracking.stream()
        .map(r -> r.getManifest().getTrack().getIntervalSeconds())
        .map(s -> s > 0 ? Duration.ofSeconds(s) : DEFAULT_INTERVAL)
        .min(Duration::compareTo)
        .orElse(DEFAULT_INTERVAL);
  }

  // Up to a tenth either way, so controllers and remotes shared by many do not march in step.
  private double jitter() {
    return 0.9 + random.nextDouble() * 0.2;
  }

  /** When a remote was last read, and the jitter drawn for the wait after it. */
  private record Round(Instant readAt, double jitter) {
    Instant dueAfter(Duration interval) {
      return readAt.plusMillis((long) (interval.toMillis() * jitter));
    }
  }
}
