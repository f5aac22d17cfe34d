package io.pulley.controller.poll;

import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.plan.PlanRenderer;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.rollout.RevisionChooser;
import io.pulley.controller.rollout.Rollouts;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.HostState;
import io.pulley.v1.Revision;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plan each host should have now, from its last reported facts and the current revisions.
 *
 * <p>Thread-safe. A plan depends only on a host's labels (and its id, where a manifest lists host
 * ids), so plans are rendered once per distinct set of labels and shared until the revisions
 * change: after an apply, 10,000 held polls of hosts with the same labels cost one rendering and
 * one hash, not 10,000. Under a rollout, hosts at the same step share theirs: the revisions chosen
 * for a host are part of what selects its plan.
 */
public final class HostPlans {
  private final HostRegistry hosts;
  private final RevisionLog revisions;
  private final RevisionChooser chooser;
  private final PlanRenderer renderer = new PlanRenderer();
  private volatile Rendered rendered = new Rendered(List.of(), -1, false, null);

  /** Plans in which every host gets the current revisions. */
  public HostPlans(HostRegistry hosts, RevisionLog revisions) {
    this(hosts, revisions, RevisionChooser.CURRENT);
  }

  public HostPlans(HostRegistry hosts, RevisionLog revisions, RevisionChooser chooser) {
    this.hosts = hosts;
    this.revisions = revisions;
    this.chooser = chooser;
  }

  /** The plan for a host; a host never heard of is rendered with empty facts. */
  public HostPlan planFor(String hostId) {
    HostFacts facts =
        hosts.get(hostId).map(HostState::getFacts).orElse(HostFacts.getDefaultInstance());
    Rendered current = renderedFor(revisions.current(), chooser.version());
    List<Rollouts.Choice> choices = chooser.choose(hostId, current.revisions);
    PlanKey key =
        new PlanKey(current.selectsByHostId ? hostId : "", facts.getLabelsMap(), chosen(choices));
    HostPlan shared =
        current.plans.computeIfAbsent(
            key, k -> renderer.render(hostId, facts, chosenRevisions(choices), current::secretsOf));
    // The plan id leaves the host id out, so a shared plan only needs its host id replaced.
    return shared.getHostId().equals(hostId)
        ? shared
        : shared.toBuilder().setHostId(hostId).build();
  }

  private static List<ChosenRevision> chosen(List<Rollouts.Choice> choices) {
    return choices.stream()
        .map(
            c ->
                new ChosenRevision(
                    AppEnv.of(c.revision()), c.revision().getNumber(), c.withOnceCommands()))
        .toList();
  }

  private static List<Revision> chosenRevisions(List<Rollouts.Choice> choices) {
    return choices.stream()
        .map(c -> c.withOnceCommands() ? c.revision() : Rollouts.withoutOnceCommands(c.revision()))
        .toList();
  }

  private Rendered renderedFor(List<Revision> current, long chooserVersion) {
    Rendered cached = rendered;
    // RevisionLog replaces its snapshot list on every change, so identity means "unchanged".
    if (cached.revisions == current && cached.chooserVersion == chooserVersion) {
      return cached;
    }
    Rendered fresh = new Rendered(current, chooserVersion, selectsByHostId(current), revisions);
    rendered = fresh;
    return fresh;
  }

  private static boolean selectsByHostId(List<Revision> revisions) {
    return revisions.stream().anyMatch(r -> r.getManifest().getHosts().getHostIdsCount() > 0);
  }

  /**
   * What selects a shared plan: the host's id (empty unless some manifest lists host ids), its
   * labels, and the revisions chosen for it.
   */
  private record PlanKey(String hostId, Map<String, String> labels, List<ChosenRevision> chosen) {}

  /** A revision chosen for a host, by number, and whether its once-per-environment commands run. */
  private record ChosenRevision(AppEnv app, long number, boolean withOnceCommands) {}

  /**
   * Plans rendered from one snapshot of the revisions, by what selects them, and the secrets of
   * those revisions (read once per snapshot: secrets change only with a new snapshot).
   */
  private record Rendered(
      List<Revision> revisions,
      long chooserVersion,
      boolean selectsByHostId,
      Map<PlanKey, HostPlan> plans,
      Map<Revision, Map<String, String>> secrets,
      RevisionLog log) {
    Rendered(
        List<Revision> revisions, long chooserVersion, boolean selectsByHostId, RevisionLog log) {
      this(
          revisions,
          chooserVersion,
          selectsByHostId,
          new ConcurrentHashMap<>(),
          new ConcurrentHashMap<>(),
          log);
    }

    Map<String, String> secretsOf(Revision revision) {
      return log == null ? Map.of() : secrets.computeIfAbsent(revision, log::secretsOf);
    }
  }
}
