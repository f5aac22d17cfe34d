package io.pulley.controller.rollout;

import io.pulley.controller.manifest.BatchSize;
import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.HostStep;
import io.pulley.v1.Revision;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutBatch;
import io.pulley.v1.RolloutHost;
import io.pulley.v1.RolloutPolicy;
import io.pulley.v1.RolloutStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rollout a new revision starts: its hosts in batches, each host remembering the revision it
 * has now, so that a failure or an abort can give it back.
 */
public final class NewRollout {
  private NewRollout() {}

  /**
   * @param hosts the hosts the revision selects, in rollout order (the canary first)
   * @param previous the application's last rollout, if any: hosts it has not finished with keep
   *     what it gave them
   * @param previousRevision the revision that was current before this one (0: none), which hosts
   *     had when there was no rollout before
   * @param immediate every host in one batch without bake time, as for a rollback
   */
  public static Rollout start(
      Revision revision,
      List<String> hosts,
      Optional<Rollout> previous,
      long previousRevision,
      boolean immediate,
      Instant now) {
    RolloutPolicy policy = revision.getManifest().getRollout();
    BatchSize size =
        immediate
            ? new BatchSize.Rest()
            : BatchSize.parse(policy.getBatch())
                .orElseThrow(() -> new IllegalArgumentException("rollout.batch was validated"));
    int canary = immediate ? Math.max(1, hosts.size()) : Math.max(1, policy.getCanary());
    Rollout.Builder rollout =
        Rollout.newBuilder()
            .setApplication(revision.getApplication())
            .setEnvironment(revision.getEnvironment())
            .setRevision(revision.getNumber())
            .setPolicy(immediate ? policy.toBuilder().setBakeSeconds(0).build() : policy)
            .setStatus(RolloutStatus.ROLLOUT_STATUS_RUNNING)
            .setStableRevision(stable(previous, previousRevision))
            .setStartedAt(ProtoTime.timestamp(now));
    if (!hosts.isEmpty()) {
      rollout.setFirstHost(hosts.get(0));
    }
    for (List<String> batch : Batches.split(hosts, canary, size)) {
      RolloutBatch.Builder built = RolloutBatch.newBuilder();
      for (String host : batch) {
        built.addHosts(
            RolloutHost.newBuilder()
                .setHostId(host)
                .setStep(HostStep.HOST_STEP_WAITING)
                .setPreviousRevision(
                    previous.map(p -> Pins.revisionFor(p, host)).orElse(previousRevision))
                .setSince(ProtoTime.timestamp(now)));
      }
      rollout.addBatches(built);
    }
    return rollout.build();
  }

  // New hosts get what every host had last; a rollout that never finished had not given it to all.
  private static long stable(Optional<Rollout> previous, long previousRevision) {
    if (previous.isEmpty()) {
      return previousRevision;
    }
    Rollout last = previous.get();
    return last.getStatus() == RolloutStatus.ROLLOUT_STATUS_SUCCEEDED
        ? last.getRevision()
        : last.getStableRevision();
  }
}
