package io.pulley.controller.rollout;

import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.HostStep;
import io.pulley.v1.OfflineHosts;
import io.pulley.v1.RevisionRef;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutBatch;
import io.pulley.v1.RolloutHost;
import io.pulley.v1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a rollout on from what its hosts reported: hosts become live or failed, a batch that is
 * live and baked lets the next one start, the first failure halts everything. A pure function of
 * the rollout, the fleet and the time, so every step can be tested with a hand-moved clock; the
 * caller stores the result and records its events.
 */
public final class RolloutStepper {
  static final Duration DEFAULT_HOST_TIMEOUT = Duration.ofMinutes(30);

  /** The rollout after a step, and what happened in it (empty if nothing did). */
  public record Step(Rollout rollout, List<String> events) {
    public boolean changed(Rollout before) {
      return !rollout.equals(before);
    }
  }

  private final Fleet fleet;
  private final Instant now;
  private final boolean firstHostGoesAlone;
  private final List<String> events = new ArrayList<>();
  private Rollout.Builder rollout;

  /**
   * @param firstHostGoesAlone the revision has once-per-environment commands, which its first host
   *     must have run before any other host of the canary batch switches
   */
  private RolloutStepper(Fleet fleet, Instant now, boolean firstHostGoesAlone) {
    this.fleet = fleet;
    this.now = now;
    this.firstHostGoesAlone = firstHostGoesAlone;
  }

  public static Step advance(
      Rollout rollout, Fleet fleet, Instant now, boolean firstHostGoesAlone) {
    RolloutStepper stepper = new RolloutStepper(fleet, now, firstHostGoesAlone);
    stepper.rollout = rollout.toBuilder();
    stepper.run();
    return new Step(stepper.rollout.build(), List.copyOf(stepper.events));
  }

  private void run() {
    RolloutStatus status = rollout.getStatus();
    if (status != RolloutStatus.ROLLOUT_STATUS_RUNNING
        && status != RolloutStatus.ROLLOUT_STATUS_PAUSED) {
      return;
    }
    observeHosts();
    if (halted()) {
      return;
    }
    for (int i = 0; i < rollout.getBatchesCount(); i++) {
      if (!finishBatch(i)) {
        return;
      }
    }
    rollout
        .setStatus(RolloutStatus.ROLLOUT_STATUS_SUCCEEDED)
        .setReason("")
        .setFinishedAt(ProtoTime.timestamp(now));
    events.add("rollout of revision " + rollout.getRevision() + " succeeded on every host");
  }

  // Hosts that deploy become live or failed; live hosts of an unbaked batch may still fail.
  private void observeHosts() {
    RevisionRef revision =
        RevisionRef.newBuilder()
            .setApplication(rollout.getApplication())
            .setEnvironment(rollout.getEnvironment())
            .setRevision(rollout.getRevision())
            .build();
    Duration timeout = hostTimeout();
    for (RolloutBatch.Builder batch : rollout.getBatchesBuilderList()) {
      for (RolloutHost.Builder host : batch.getHostsBuilderList()) {
        HostStep step = host.getStep();
        if (!Pins.started(step)) {
          continue;
        }
        Instant since = ProtoTime.instant(host.getSince());
        HostProgress.Seen seen =
            fleet
                .state(host.getHostId())
                .map(state -> HostProgress.of(state, revision, since))
                .orElse(new HostProgress.Nothing());
        if (seen instanceof HostProgress.Failed failed) {
          fail(host, failed.reason());
        } else if (seen instanceof HostProgress.Applied && step != HostStep.HOST_STEP_LIVE) {
          moveTo(host, HostStep.HOST_STEP_LIVE, "");
          events.add("host " + host.getHostId() + " is live on revision " + rollout.getRevision());
        } else if (step == HostStep.HOST_STEP_DEPLOYING && !now.isBefore(since.plus(timeout))) {
          fail(
              host,
              "no report of revision "
                  + rollout.getRevision()
                  + " within "
                  + timeout.toSeconds()
                  + " s");
        }
      }
    }
  }

  private void fail(RolloutHost.Builder host, String reason) {
    moveTo(host, HostStep.HOST_STEP_FAILED, reason);
    events.add(
        "host " + host.getHostId() + " failed revision " + rollout.getRevision() + ": " + reason);
    if (!halted()) {
      rollout
          .setStatus(RolloutStatus.ROLLOUT_STATUS_HALTED)
          .setReason("host " + host.getHostId() + " failed: " + reason);
      events.add(
          "rollout of revision "
              + rollout.getRevision()
              + " halted: host "
              + host.getHostId()
              + " failed; hosts not yet on it keep their revision");
    }
  }

  private boolean halted() {
    return rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_HALTED;
  }

  /** Starts, waits on or bakes batch {@code index}; true once it is done with. */
  private boolean finishBatch(int index) {
    RolloutBatch.Builder batch = rollout.getBatchesBuilder(index);
    if (batch.hasLiveAt()) {
      Duration bake = Duration.ofSeconds(rollout.getPolicy().getBakeSeconds());
      if (now.isBefore(ProtoTime.instant(batch.getLiveAt()).plus(bake))) {
        waiting("baking batch " + (index + 1) + " for " + bake.toSeconds() + " s");
        return false;
      }
      return true;
    }
    if (rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_PAUSED && !anyStarted(batch)) {
      return false;
    }
    if (rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_RUNNING) {
      startHosts(index, batch);
    }
    List<String> pending = new ArrayList<>();
    for (RolloutHost.Builder host : batch.getHostsBuilderList()) {
      if (!doneWith(host)) {
        pending.add(host.getHostId());
      }
    }
    if (!pending.isEmpty()) {
      waiting("batch " + (index + 1) + " waits for " + String.join(", ", pending));
      return false;
    }
    batch.setLiveAt(ProtoTime.timestamp(now));
    events.add("batch " + (index + 1) + " of " + rollout.getBatchesCount() + " is live");
    return finishBatch(index);
  }

  private void startHosts(int index, RolloutBatch.Builder batch) {
    boolean blockOffline =
        rollout.getPolicy().getOfflineHosts() == OfflineHosts.OFFLINE_HOSTS_BLOCK;
    for (RolloutHost.Builder host : batch.getHostsBuilderList()) {
      boolean alone =
          index == 0
              && firstHostGoesAlone
              && !host.getHostId().equals(rollout.getFirstHost())
              && !firstHostLive(batch);
      HostStep step = host.getStep();
      boolean retry = step == HostStep.HOST_STEP_OFFLINE && blockOffline;
      if ((step != HostStep.HOST_STEP_WAITING && !retry) || alone) {
        continue;
      }
      if (fleet.online(host.getHostId())) {
        moveTo(host, HostStep.HOST_STEP_DEPLOYING, "");
        events.add("host " + host.getHostId() + " deploys revision " + rollout.getRevision());
      } else if (step == HostStep.HOST_STEP_WAITING) {
        moveTo(host, HostStep.HOST_STEP_OFFLINE, "offline when batch " + (index + 1) + " started");
        events.add(
            "host "
                + host.getHostId()
                + " is offline"
                + (blockOffline
                    ? "; the rollout waits for it"
                    : "; it gets revision " + rollout.getRevision() + " when it is back"));
      }
    }
  }

  private boolean firstHostLive(RolloutBatch.Builder batch) {
    return batch.getHostsBuilderList().stream()
        .anyMatch(
            h ->
                h.getHostId().equals(rollout.getFirstHost())
                    && h.getStep() == HostStep.HOST_STEP_LIVE);
  }

  private boolean doneWith(RolloutHost.Builder host) {
    return host.getStep() == HostStep.HOST_STEP_LIVE
        || (host.getStep() == HostStep.HOST_STEP_OFFLINE
            && rollout.getPolicy().getOfflineHosts() != OfflineHosts.OFFLINE_HOSTS_BLOCK);
  }

  private static boolean anyStarted(RolloutBatch.Builder batch) {
    return batch.getHostsBuilderList().stream().anyMatch(h -> Pins.started(h.getStep()));
  }

  private void waiting(String reason) {
    if (rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_RUNNING) {
      rollout.setReason(reason);
    }
  }

  private void moveTo(RolloutHost.Builder host, HostStep step, String detail) {
    host.setStep(step).setDetail(detail).setSince(ProtoTime.timestamp(now));
  }

  private Duration hostTimeout() {
    int seconds = rollout.getPolicy().getHostTimeoutSeconds();
    return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_HOST_TIMEOUT;
  }
}
