package io.pulley.controller.promote;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.CodeSettings;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.store.Release;
import io.pulley.controller.store.Store;
import io.pulley.v1.Promotion;
import io.pulley.v1.Revision;
import io.pulley.v1.StackGit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes by the manifests' {@code promote} rules: once the source environment has run one
 * revision, live and healthy on every online host, for the rule's time without a break, its release
 * is given to the target. How long it has been healthy is what this promoter saw on its ticks, kept
 * in memory: a controller that restarts counts again from its start, which only ever delays a
 * promotion. A release quarantined in the target (its rollout halted there, or an admin rolled back
 * from it) is not promoted again; the next release the source runs, healthy, is.
 *
 * <p>Thread-safe; {@link #tick()} runs every second on the controller's timer and costs a look at
 * the hosts unless a promotion is due. Each (source revision, target revision) pair is tried once,
 * so a promotion that does not compile is reported once, not every second.
 */
public final class Promoter {
  static final Duration DEFAULT_HEALTHY = Duration.ofSeconds(1800);
  static final String ACTOR = "promoter";

  private static final Logger log = LoggerFactory.getLogger(Promoter.class);

  private final RevisionLog revisions;
  private final Promotions promotions;
  private final Store store;
  private final AuditTrail audit;
  private final Clock clock;
  private final Map<AppEnv, Seen> healthySince = new HashMap<>();
  private final Map<AppEnv, Attempt> attempted = new HashMap<>();

  public Promoter(
      RevisionLog revisions, Promotions promotions, Store store, AuditTrail audit, Clock clock) {
    this.revisions = revisions;
    this.promotions = promotions;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** Looks at every environment with a {@code promote} rule and promotes where one is due. */
  public synchronized void tick() {
    Instant now = clock.instant();
    Set<AppEnv> sources = new HashSet<>();
    Set<AppEnv> targets = new HashSet<>();
    for (Revision target : revisions.current()) {
      if (!target.getManifest().hasPromote() || target.getSourceYaml().isEmpty()) {
        continue;
      }
      AppEnv to = AppEnv.of(target);
      AppEnv from = new AppEnv(to.application(), target.getManifest().getPromote().getFrom());
      sources.add(from);
      targets.add(to);
      consider(from, to, target, now);
    }
    healthySince.keySet().retainAll(sources);
    attempted.keySet().retainAll(targets);
  }

  private void consider(AppEnv from, AppEnv to, Revision target, Instant now) {
    if (!(promotions.live(from) instanceof LiveRelease.Healthy healthy)) {
      healthySince.remove(from);
      return;
    }
    Seen seen =
        healthySince.merge(
            from,
            new Seen(healthy.revision(), now),
            (old, fresh) -> old.revision() == fresh.revision() ? old : fresh);
    Duration wanted = healthyFor(target.getManifest().getPromote());
    if (now.isBefore(seen.since().plus(wanted))) {
      return;
    }
    Attempt attempt = new Attempt(healthy.revision(), target.getNumber());
    if (attempt.equals(attempted.put(to, attempt))) {
      return;
    }
    Optional<Revision> source = revisions.get(from, healthy.revision());
    if (source.isEmpty()) {
      return;
    }
    StackGit git = source.get().getManifest().getStack().getGit();
    if (store.quarantined(to).contains(new Release(git.getRef(), git.getCommit()))) {
      log.info(
          "{} revision {} is not promoted to {}: {} at {} is quarantined there",
          from,
          healthy.revision(),
          to,
          git.getRef(),
          Promotions.shortCommit(git.getCommit()));
      return;
    }
    if (CodeSettings.same(source.get().getManifest().getStack(), target.getManifest().getStack())) {
      // Production runs this code already, the same way: nothing to compile.
      return;
    }
    String why = "healthy there for " + wanted.toSeconds() + " s";
    PromoteResult result = promotions.promote(from, to, false, ACTOR, why);
    if (result instanceof PromoteResult.Rejected rejected) {
      audit.record(
          to,
          target.getNumber(),
          "promote",
          ACTOR,
          "cannot promote "
              + from
              + " revision "
              + healthy.revision()
              + ": "
              + rejected.errors().get(0).getField()
              + ": "
              + rejected.errors().get(0).getReason());
    } else if (result instanceof PromoteResult.Refused refused) {
      audit.record(
          to,
          target.getNumber(),
          "promote",
          ACTOR,
          "cannot promote " + from + " revision " + healthy.revision() + ": " + refused.reason());
    }
  }

  static Duration healthyFor(Promotion rule) {
    return rule.getHealthySeconds() > 0
        ? Duration.ofSeconds(rule.getHealthySeconds())
        : DEFAULT_HEALTHY;
  }

  /** The revision a source ran, live and healthy, and since when without a break. */
  private record Seen(long revision, Instant since) {}

  /** A source revision tried on a target revision. */
  private record Attempt(long sourceRevision, long targetRevision) {}
}
