package io.pulley.controller.revisions;

import io.pulley.controller.events.ControllerEvent.RevisionStored;
import io.pulley.controller.events.ControllerEvent.SecretsChanged;
import io.pulley.controller.events.Events;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.CompileResult;
import io.pulley.controller.manifest.ContentHash;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.ManifestDiff;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.secrets.SecretKeeper;
import io.pulley.controller.secrets.SetSecretResult;
import io.pulley.controller.store.SecretEntry;
import io.pulley.controller.store.Store;
import io.pulley.v1.Manifest;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The numbered, immutable revisions of every application and environment: applying a manifest,
 * rolling back, reading history, and setting the secrets their plans carry.
 *
 * <p>Thread-safe. Writers are serialised so that "compare with the current revision, then append"
 * is atomic; Git refs are resolved before the lock, since that may take a network round trip.
 */
public final class RevisionLog {
  private static final Logger log = LoggerFactory.getLogger(RevisionLog.class);

  private final Store store;
  private final ManifestCompiler compiler;
  private final SecretKeeper secrets;
  private final Clock clock;
  private final ControllerMetrics metrics;
  private final Events events;
  private final Object writeLock = new Object();
  private volatile List<Revision> current;

  /** A log whose generated secrets come from a {@link SecureRandom}. */
  public RevisionLog(
      Store store,
      ManifestCompiler compiler,
      Clock clock,
      ControllerMetrics metrics,
      Events events) {
    this(
        store,
        compiler,
        new SecretKeeper(store, new SecureRandom(), clock),
        clock,
        metrics,
        events);
  }

  /**
   * @param events told of each revision stored ({@link RevisionStored}) and of secrets that change
   *     plans without one ({@link SecretsChanged}), under the write lock
   */
  public RevisionLog(
      Store store,
      ManifestCompiler compiler,
      SecretKeeper secrets,
      Clock clock,
      ControllerMetrics metrics,
      Events events) {
    this.store = store;
    this.compiler = compiler;
    this.secrets = secrets;
    this.clock = clock;
    this.metrics = metrics;
    this.events = events;
    this.current = List.copyOf(store.currentRevisions());
  }

  /** Validates and stores a manifest; in a dry run, only validates and diffs. */
  public ApplyResult apply(String yaml, String sourceName, boolean dryRun, String actor) {
    return apply(yaml, sourceName, dryRun, actor, app -> true);
  }

  /** As {@link #apply(String, String, boolean, String)}, if {@code mayChange} its application. */
  public ApplyResult apply(
      String yaml,
      String sourceName,
      boolean dryRun,
      String actor,
      java.util.function.Predicate<AppEnv> mayChange) {
    KeptRelease.Compiled kept =
        KeptRelease.compile(compiler, yaml, sourceName, store::currentRevision);
    CompileResult compiled = kept.result();
    if (!compiled.ok()) {
      metrics.applied("rejected");
      return new ApplyResult.Rejected(compiled.errors());
    }
    Manifest manifest = compiled.manifest().orElseThrow();
    if (!mayChange.test(AppEnv.of(manifest))) {
      metrics.applied("forbidden");
      return new ApplyResult.Forbidden(AppEnv.of(manifest));
    }
    List<ManifestError> missingKeys = secrets.missingSecrets(manifest);
    if (!missingKeys.isEmpty()) {
      metrics.applied("rejected");
      return new ApplyResult.Rejected(missingKeys);
    }
    synchronized (writeLock) {
      Optional<Revision> previous = store.currentRevision(AppEnv.of(manifest));
      RedisDatabases.Assigned redis = RedisDatabases.assign(manifest, previous, current);
      manifest = redis.manifest();
      List<ManifestError> collisions = StackCollisions.of(manifest, current);
      if (!collisions.isEmpty()) {
        metrics.applied("rejected");
        return new ApplyResult.Rejected(collisions);
      }
      String hash = ContentHash.of(manifest);
      boolean changed = previous.map(p -> !p.getContentHash().equals(hash)).orElse(true);
      String diff = diff(previous, manifest);
      List<String> notices = new ArrayList<>(redis.notices());
      notices.addAll(secrets.hostKeyNotices(manifest));
      kept.kept().ifPresent(k -> notices.add(KeptRelease.notice(k)));
      if (dryRun) {
        metrics.applied("dry_run");
        return new ApplyResult.Accepted(previous, changed, diff, true, notices);
      }
      boolean generated = !secrets.generateMissing(manifest).isEmpty();
      if (!changed) {
        if (generated) {
          // Same revision, new secrets: the plans that carry them must be rendered again.
          refreshed(AppEnv.of(manifest));
        }
        metrics.applied("unchanged");
        return new ApplyResult.Accepted(previous, false, diff, false, notices);
      }
      Revision.Builder applied =
          Revision.newBuilder()
              .setManifest(manifest)
              .setContentHash(hash)
              .setAppliedBy(actor)
              .setOrigin(RevisionOrigin.REVISION_ORIGIN_APPLY)
              .setSourceYaml(yaml);
      kept.kept().ifPresent(k -> applied.setPromotedFrom(k.getPromotedFrom()));
      Revision stored = append(applied, previous);
      metrics.applied("created");
      return new ApplyResult.Accepted(Optional.of(stored), true, diff, false, notices);
    }
  }

  /** Creates a new revision with the content of revision {@code to}. */
  public RollbackResult rollback(AppEnv app, long to, String actor) {
    synchronized (writeLock) {
      Optional<Revision> target = store.revision(app, to);
      if (target.isEmpty()) {
        return new RollbackResult.NotFound();
      }
      Revision previous = store.currentRevision(app).orElseThrow();
      if (previous.getContentHash().equals(target.get().getContentHash())) {
        return new RollbackResult.RolledBack(previous, false);
      }
      secrets.generateMissing(target.get().getManifest());
      // The target's manifest, hash, source YAML and the release it was promoted to, if it was.
      Revision stored =
          append(
              target.get().toBuilder()
                  .clearNumber()
                  .setAppliedBy(actor)
                  .setOrigin(RevisionOrigin.REVISION_ORIGIN_ROLLBACK)
                  .setRestores(to)
                  .setTrigger("rollback to revision " + to),
              Optional.of(previous));
      return new RollbackResult.RolledBack(stored, true);
    }
  }

  /**
   * Stores a secret an admin set. When stored, plans are rendered again, so every host whose plan
   * uses the secret gets a new plan id and its held poll is answered.
   */
  public SetSecretResult setSecret(AppEnv app, String name, String value, String actor) {
    // Under the write lock: an apply generating the same secret must not interleave.
    synchronized (writeLock) {
      SetSecretResult result = secrets.set(app, name, value, actor);
      if (result instanceof SetSecretResult.Stored) {
        refreshed(app);
      }
      return result;
    }
  }

  /** Names, sources and times of an application's secrets, ordered by name; never values. */
  public List<SecretEntry> secretEntries(AppEnv app) {
    return secrets.entries(app);
  }

  /** The mistake in naming an application and environment for a secrets call, if any. */
  public Optional<SetSecretResult.Invalid> checkSecretOwner(AppEnv app) {
    return secrets.checkOwner(app);
  }

  /** One revision; number 0 means the current one. */
  public Optional<Revision> get(AppEnv app, long number) {
    return number == 0 ? store.currentRevision(app) : store.revision(app, number);
  }

  /** Up to {@code limit} revisions, newest first. */
  public List<Revision> history(AppEnv app, int limit) {
    return store.listRevisions(app, limit);
  }

  /**
   * The secrets {@code revision}'s resources use, by name: they go into its part of a host plan and
   * never into the revision itself.
   */
  public Map<String, String> secretsOf(Revision revision) {
    return secrets.forPlan(revision.getManifest());
  }

  /** The current revision of every application and environment (an in-memory snapshot). */
  public List<Revision> current() {
    return current;
  }

  /**
   * Stores a revision the controller made itself (tracking a Git remote): {@code manifest} compiled
   * from {@code sourceYaml} with a new ref. Nothing is stored if the current revision of the
   * application has that content already.
   *
   * @param basedOn the revision whose source was compiled; if it is no longer the current one, an
   *     admin changed the manifest meanwhile and nothing is stored
   */
  public Optional<Revision> appendTracked(
      Revision basedOn, Manifest manifest, String actor, String trigger) {
    return appendDerived(
        basedOn,
        Revision.newBuilder()
            .setManifest(manifest)
            .setAppliedBy(actor)
            .setOrigin(RevisionOrigin.REVISION_ORIGIN_TRACK)
            .setTrigger(trigger));
  }

  /**
   * Stores {@code derived} (its manifest, actor, origin and trigger set), a revision compiled from
   * {@code basedOn}'s source YAML with a change the controller made (a tracked ref, a promoted
   * release). The Redis databases the application has keep their numbers, as in an apply. Nothing
   * is stored if the current revision of the application has that content already.
   *
   * @param basedOn the revision whose source was compiled; if it is no longer the current one, an
   *     admin changed the manifest meanwhile and nothing is stored
   */
  public Optional<Revision> appendDerived(Revision basedOn, Revision.Builder derived) {
    synchronized (writeLock) {
      Optional<Revision> previous = store.currentRevision(AppEnv.of(derived.getManifest()));
      Manifest manifest =
          RedisDatabases.assign(derived.getManifest(), previous, current).manifest();
      String hash = ContentHash.of(manifest);
      if (previous.isEmpty()
          || previous.get().getNumber() != basedOn.getNumber()
          || previous.get().getContentHash().equals(hash)) {
        return Optional.empty();
      }
      secrets.generateMissing(manifest);
      return Optional.of(
          append(
              derived
                  .setManifest(manifest)
                  .setContentHash(hash)
                  .setSourceYaml(basedOn.getSourceYaml()),
              previous));
    }
  }

  /**
   * What {@code manifest}, compiled from the current revision's source, would be stored as: the
   * Redis databases assigned as {@link #appendDerived} assigns them, and the diff against the
   * current revision.
   */
  public Derived preview(Manifest manifest) {
    Optional<Revision> previous = store.currentRevision(AppEnv.of(manifest));
    Manifest assigned = RedisDatabases.assign(manifest, previous, current).manifest();
    String hash = ContentHash.of(assigned);
    boolean changed = previous.map(p -> !p.getContentHash().equals(hash)).orElse(true);
    return new Derived(assigned, changed, diff(previous, assigned));
  }

  /** A manifest as it would be stored, whether it differs from the current revision, and how. */
  public record Derived(Manifest manifest, boolean changed, String diff) {}

  private Revision append(Revision.Builder revision, Optional<Revision> previous) {
    Instant now = clock.instant();
    Manifest manifest = revision.getManifest();
    Revision stored =
        store.appendRevision(
            revision
                .setApplication(manifest.getApplication())
                .setEnvironment(manifest.getEnvironment())
                .setAppliedAt(
                    com.google.protobuf.Timestamp.newBuilder()
                        .setSeconds(now.getEpochSecond())
                        .setNanos(now.getNano()))
                .build());
    if (stored.getOrigin() != RevisionOrigin.REVISION_ORIGIN_ROLLBACK) {
      // Host keys were checked when this manifest compiled; a rollback's were checked long ago.
      secrets.trustHostKeys(manifest, stored.getNumber());
    }
    current = List.copyOf(store.currentRevisions());
    metrics.revisionCreated();
    log.info(
        "revision {}/{} #{} stored ({}, by {})",
        stored.getApplication(),
        stored.getEnvironment(),
        stored.getNumber(),
        describe(stored),
        stored.getAppliedBy());
    events.publish(new RevisionStored(stored, previous));
    return stored;
  }

  private static String describe(Revision revision) {
    return switch (revision.getOrigin()) {
      case REVISION_ORIGIN_ROLLBACK -> "rollback to #" + revision.getRestores();
      case REVISION_ORIGIN_TRACK -> revision.getTrigger();
      case REVISION_ORIGIN_PROMOTE -> "promote: " + revision.getTrigger();
      default -> "apply";
    };
  }

  // A new snapshot list tells plan caches that what they rendered (secrets too) is stale.
  private void refreshed(AppEnv app) {
    current = List.copyOf(store.currentRevisions());
    events.publish(new SecretsChanged(app));
  }

  private static String diff(Optional<Revision> previous, Manifest next) {
    String previousName = previous.map(p -> "revision " + p.getNumber()).orElse("(no revision)");
    return ManifestDiff.between(
        previous.map(Revision::getManifest).orElse(null), next, previousName, "new");
  }
}
