package io.pulley.controller.plan;

import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.HostState;

/** The plan each host should have now, from its last reported facts and the current revisions. */
public final class HostPlans {
  private final HostRegistry hosts;
  private final RevisionLog revisions;
  private final PlanRenderer renderer = new PlanRenderer();

  public HostPlans(HostRegistry hosts, RevisionLog revisions) {
    this.hosts = hosts;
    this.revisions = revisions;
  }

  /** The plan for a host; a host never heard of is rendered with empty facts. */
  public HostPlan planFor(String hostId) {
    HostFacts facts = hosts.get(hostId).map(HostState::getFacts).orElse(HostFacts.getDefaultInstance());
    return renderer.render(hostId, facts, revisions.current());
  }
}
