package io.pulley.controller.promote;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.plan.PlanRenderer;
import io.pulley.controller.rollout.Fleet;
import io.pulley.v1.HostHealth;
import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionRef;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which revision an environment runs, live and healthy, as its hosts report it: not its newest
 * revision (which may still be deploying) nor the tip of the ref it tracks. Every online host its
 * current manifest selects must report the same revision applied and be healthy; offline hosts are
 * left out, but one online host at least is needed; and when that revision has a rollout, the
 * rollout must have succeeded. A pure function of what the controller knows now.
 */
public final class LiveRelease {
  /** What was found. */
  public sealed interface Found {}

  /** Every online host runs {@code revision}, healthy; {@code hosts} are their ids, in order. */
  public record Healthy(long revision, List<String> hosts) implements Found {}

  /** Why no revision counts as live and healthy, in a sentence. */
  public record NotHealthy(String reason) implements Found {}

  /** At most this many hosts are named in a reason: a big fleet still gets a short answer. */
  static final int MAX_NAMED = 5;

  private LiveRelease() {}

  /**
   * @param current the environment's current revision, whose manifest selects its hosts
   * @param hosts every host the controller knows
   * @param rollout the environment's newest rollout, if it has one
   */
  public static Found of(
      Revision current, List<HostState> hosts, Fleet fleet, Optional<Rollout> rollout) {
    AppEnv app = AppEnv.of(current);
    List<String> online = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long running = 0;
    for (HostState host : hosts) {
      String id = host.getHostId();
      if (!PlanRenderer.selects(current.getManifest().getHosts(), id, host.getFacts())
          || !fleet.online(id)) {
        continue;
      }
      online.add(id);
      long applied = appliedRevision(host, app);
      if (applied == 0) {
        problems.add(id + " has applied no revision of " + app + " yet");
      } else if (host.getHealth() != HostHealth.HOST_HEALTH_HEALTHY) {
        // Whichever application failed: a host's applied revisions are those of its last whole
        // successful apply, and after a failed one they may not be what it serves.
        problems.add(id + " is not healthy (its last apply failed)");
      } else if (running != 0 && applied != running) {
        problems.add(id + " runs revision " + applied + ", not " + running);
      } else {
        running = applied;
      }
    }
    if (online.isEmpty()) {
      return new NotHealthy("no host of " + app + " is online");
    }
    if (!problems.isEmpty()) {
      return new NotHealthy(app + " is not live and healthy on every host: " + named(problems));
    }
    long live = running;
    Optional<Rollout> own = rollout.filter(r -> r.getRevision() == live);
    if (own.isPresent() && own.get().getStatus() != RolloutStatus.ROLLOUT_STATUS_SUCCEEDED) {
      return new NotHealthy(
          "the rollout of "
              + app
              + " revision "
              + live
              + " has not succeeded yet ("
              + own.get()
                  .getStatus()
                  .name()
                  .substring("ROLLOUT_STATUS_".length())
                  .toLowerCase(java.util.Locale.ROOT)
              + ")");
    }
    return new Healthy(live, List.copyOf(online));
  }

  /** The revision of {@code app} the host's last successful apply contained; 0 if none. */
  private static long appliedRevision(HostState host, AppEnv app) {
    for (RevisionRef ref : host.getAppliedRevisionsList()) {
      if (ref.getApplication().equals(app.application())
          && ref.getEnvironment().equals(app.environment())) {
        return ref.getRevision();
      }
    }
    return 0;
  }

  private static String named(List<String> problems) {
    String shown = String.join("; ", problems.subList(0, Math.min(MAX_NAMED, problems.size())));
    return problems.size() > MAX_NAMED
        ? shown + "; and " + (problems.size() - MAX_NAMED) + " more"
        : shown;
  }
}
