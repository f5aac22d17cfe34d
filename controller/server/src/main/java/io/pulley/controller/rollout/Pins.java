package io.pulley.controller.rollout;

import io.pulley.v1.HostStep;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutBatch;
import io.pulley.v1.RolloutHost;
import io.pulley.v1.RolloutStatus;
import java.util.Optional;

/**
 * Which revision of an application a host gets while a rollout is under way: the new one once its
 * batch has started, the one it had before until then, and that one back if it failed or the
 * rollout was aborted. Hosts the rollout does not know (new ones) get the stable revision.
 */
public final class Pins {
  private Pins() {}

  /** The revision number {@code hostId} gets; 0 means none (the application is left out). */
  public static long revisionFor(Rollout rollout, String hostId) {
    Optional<RolloutHost> host = find(rollout, hostId);
    if (rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_SUCCEEDED) {
      return rollout.getRevision();
    }
    if (host.isEmpty()) {
      return rollout.getStableRevision() == 0 ? rollout.getRevision() : rollout.getStableRevision();
    }
    if (rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_ABORTED) {
      return host.get().getPreviousRevision();
    }
    return started(host.get().getStep()) ? rollout.getRevision() : host.get().getPreviousRevision();
  }

  /** Whether a host at {@code step} has been given the rollout's revision. */
  static boolean started(HostStep step) {
    return step == HostStep.HOST_STEP_DEPLOYING
        || step == HostStep.HOST_STEP_LIVE
        || step == HostStep.HOST_STEP_OFFLINE;
  }

  static Optional<RolloutHost> find(Rollout rollout, String hostId) {
    for (RolloutBatch batch : rollout.getBatchesList()) {
      for (RolloutHost host : batch.getHostsList()) {
        if (host.getHostId().equals(hostId)) {
          return Optional.of(host);
        }
      }
    }
    return Optional.empty();
  }
}
