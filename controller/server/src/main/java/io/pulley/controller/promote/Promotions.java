package io.pulley.controller.promote;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.CodeSettings;
import io.pulley.controller.manifest.CompileResult;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RemoteUrl;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.rollout.Fleet;
import io.pulley.controller.store.Release;
import io.pulley.controller.store.Store;
import io.pulley.v1.PromotedFrom;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;
import io.pulley.v1.Rollout;
import io.pulley.v1.StackGit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Promotes the release one environment of an application runs, live and healthy ({@link
 * LiveRelease}), to another: the target's last applied YAML compiled again with the source's commit
 * and code-side settings ({@link CodeSettings}), validated as any apply is, and stored as the
 * target's new revision, which rolls out by the target's policy. The commit is the one the source's
 * hosts run, never the ref resolved again, so a newer push to the ref never slips in.
 *
 * <p>Thread-safe: the revision log serialises what it stores; a promotion based on a target
 * revision that an apply replaced meanwhile stores nothing.
 */
public final class Promotions {
  private final RevisionLog revisions;
  private final HostRegistry hosts;
  private final Fleet fleet;
  private final Function<AppEnv, Optional<Rollout>> rollouts;
  private final Store store;
  private final AuditTrail audit;
  private final ManifestCompiler compiler;

  /**
   * @param rollouts the newest rollout of an environment, if it has one
   * @param compiler compiles the target's manifest as an apply does; the promoted commit is pinned
   *     in it, never asked for
   */
  public Promotions(
      RevisionLog revisions,
      HostRegistry hosts,
      Fleet fleet,
      Function<AppEnv, Optional<Rollout>> rollouts,
      Store store,
      AuditTrail audit,
      ManifestCompiler compiler) {
    this.revisions = revisions;
    this.hosts = hosts;
    this.fleet = fleet;
    this.rollouts = rollouts;
    this.store = store;
    this.audit = audit;
    this.compiler = compiler;
  }

  /** The revision of {@code from} that runs live and healthy now, or why none does. */
  public LiveRelease.Found live(AppEnv from) {
    Optional<Revision> current = revisions.get(from, 0);
    if (current.isEmpty()) {
      return new LiveRelease.NotHealthy(from + " has no revision");
    }
    return LiveRelease.of(current.get(), hosts.all(), fleet, rollouts.apply(from));
  }

  /**
   * Gives {@code to} the release {@code from} runs, live and healthy.
   *
   * @param actor who asks, as the trail records it
   * @param why appended to the trigger ("healthy there for 1800 s"); empty for none
   */
  public PromoteResult promote(AppEnv from, AppEnv to, boolean dryRun, String actor, String why) {
    if (from.environment().equals(to.environment())) {
      return new PromoteResult.Refused("an environment cannot be promoted to itself");
    }
    Optional<Revision> target = revisions.get(to, 0);
    if (target.isEmpty()) {
      return new PromoteResult.NotFound(
          to + " has no revision: apply its manifest first, then promote to it");
    }
    LiveRelease.Found found = live(from);
    if (found instanceof LiveRelease.NotHealthy not) {
      return new PromoteResult.Refused("nothing to promote: " + not.reason());
    }
    long number = ((LiveRelease.Healthy) found).revision();
    Optional<Revision> source = revisions.get(from, number);
    if (source.isEmpty()) {
      return new PromoteResult.NotFound(from + " has no revision " + number);
    }
    Optional<String> mismatch = mismatch(source.get(), target.get());
    if (mismatch.isPresent()) {
      return new PromoteResult.Refused(mismatch.get());
    }
    return compile(source.get(), target.get(), dryRun, actor, why);
  }

  /** Why the target cannot take the source's release, if it cannot. */
  private static Optional<String> mismatch(Revision source, Revision target) {
    StackGit from = source.getManifest().getStack().getGit();
    StackGit to = target.getManifest().getStack().getGit();
    if (!source.getManifest().hasStack() || from.getCommit().isEmpty()) {
      return Optional.of(AppEnv.of(source) + " has no stack.git: there is no commit to promote");
    }
    if (!target.getManifest().hasStack() || !target.getManifest().getStack().hasGit()) {
      return Optional.of(AppEnv.of(target) + " has no stack.git to give the commit to");
    }
    if (target.getManifest().hasTrack()) {
      // Tracking would replace the promoted release with the next tag or head it reads.
      return Optional.of(
          AppEnv.of(target)
              + " follows its Git remote (track): tracking would replace a promoted release; remove"
              + " track from its manifest (or replace it with promote) to promote to it");
    }
    if (target.getSourceYaml().isEmpty()) {
      return Optional.of(AppEnv.of(target) + " has no applied YAML to compile; apply it again");
    }
    if (!from.getUrl().equals(to.getUrl())) {
      // Commits are promoted within one repository; the target's credentials are for its own.
      return Optional.of(
          AppEnv.of(source)
              + " deploys from "
              + RemoteUrl.redact(from.getUrl())
              + " and "
              + AppEnv.of(target)
              + " from "
              + RemoteUrl.redact(to.getUrl())
              + "; a promotion moves a commit between environments of one repository");
    }
    return Optional.empty();
  }

  private PromoteResult compile(
      Revision source, Revision target, boolean dryRun, String actor, String why) {
    StackGit git = source.getManifest().getStack().getGit();
    PromotedFrom from =
        PromotedFrom.newBuilder()
            .setEnvironment(source.getEnvironment())
            .setRevision(source.getNumber())
            .setCommit(git.getCommit())
            .build();
    List<String> notices = new ArrayList<>();
    AppEnv to = AppEnv.of(target);
    if (store.quarantined(to).contains(new Release(git.getRef(), git.getCommit()))) {
      notices.add(
          git.getRef()
              + " at "
              + shortCommit(git.getCommit())
              + " was quarantined in "
              + to
              + " (a rollout of it halted there, or it was rolled back from); promoted as asked");
    }
    // The commit the source's hosts run, as it is: never resolved again, so a newer push to the
    // ref cannot take its place. The target's other Git resources resolve as in an apply.
    CompileResult compiled =
        compiler
            .pinning(git.getUrl(), git.getRef(), git.getCommit())
            .compile(
                target.getSourceYaml(),
                to.toString(),
                manifest ->
                    CodeSettings.carry(
                        source.getManifest().getStack(), manifest.getStackBuilder()));
    if (!compiled.ok()) {
      return new PromoteResult.Rejected(compiled.errors());
    }
    RevisionLog.Derived derived = revisions.preview(compiled.manifest().orElseThrow());
    if (dryRun || !derived.changed()) {
      return new PromoteResult.Promoted(
          target, derived.changed(), derived.diff(), dryRun, from, notices);
    }
    String trigger =
        "from "
            + source.getEnvironment()
            + " r"
            + source.getNumber()
            + " at "
            + git.getRef()
            + " "
            + shortCommit(git.getCommit())
            + (why.isEmpty() ? "" : ", " + why);
    Optional<Revision> stored =
        revisions.appendDerived(
            target,
            Revision.newBuilder()
                .setManifest(derived.manifest())
                .setAppliedBy(actor)
                .setOrigin(RevisionOrigin.REVISION_ORIGIN_PROMOTE)
                .setTrigger(trigger)
                .setPromotedFrom(from));
    if (stored.isEmpty()) {
      return new PromoteResult.Refused(
          to + " changed while the promotion was compiled; promote again");
    }
    // The source's trail says where its release went; the target's has the revision stored.
    audit.record(
        AppEnv.of(source),
        source.getNumber(),
        "promote",
        actor,
        "revision "
            + source.getNumber()
            + " ("
            + git.getRef()
            + " at "
            + shortCommit(git.getCommit())
            + ") promoted to "
            + to
            + " as revision "
            + stored.get().getNumber());
    return new PromoteResult.Promoted(stored.get(), true, derived.diff(), false, from, notices);
  }

  static String shortCommit(String commit) {
    return commit.substring(0, Math.min(12, commit.length()));
  }
}
