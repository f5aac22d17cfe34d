package io.pulley.controller.server;

import io.pulley.controller.access.AccessListener;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.poll.PollHub;
import java.util.Map;

/**
 * What a change of a host's access does to the running controller: a revoked or removed host's held
 * poll ends at once; new labels give the host a new plan. Connected once the parts exist (access is
 * opened before them, as the host registry reads its bound labels).
 */
final class AccessReactions implements AccessListener {
  private volatile HostRegistry hosts;
  private volatile PollHub polls;

  void connect(HostRegistry hosts, PollHub polls) {
    this.polls = polls; // first: a non-null hosts means polls is set too
    this.hosts = hosts;
  }

  @Override
  public void hostRevoked(String hostId) {
    if (polls != null) {
      polls.cutOff(hostId, "host " + hostId + " is revoked");
    }
  }

  @Override
  public void hostLabelled(String hostId, Map<String, String> labels) {
    if (hosts != null) {
      hosts.relabel(hostId, labels);
      polls.planChanged(hostId);
    }
  }

  @Override
  public void hostRemoved(String hostId) {
    if (hosts != null) {
      polls.cutOff(hostId, "host " + hostId + " is removed: enrol again");
      hosts.forget(hostId);
    }
  }
}
