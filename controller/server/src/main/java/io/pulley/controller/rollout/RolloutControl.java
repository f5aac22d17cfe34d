package io.pulley.controller.rollout;

import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.HostStep;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutAction;
import io.pulley.v1.RolloutBatch;
import io.pulley.v1.RolloutHost;
import io.pulley.v1.RolloutStatus;
import java.time.Instant;

/** What pause, resume and abort do to a rollout, or why they cannot. */
public final class RolloutControl {
  /** The outcome of an action: the changed rollout and what happened, or why nothing could. */
  public sealed interface Result {}

  public record Done(Rollout rollout, String event) implements Result {}

  public record Refused(String reason) implements Result {}

  private RolloutControl() {}

  public static Result apply(Rollout rollout, RolloutAction action, Instant now) {
    RolloutStatus status = rollout.getStatus();
    String name = "the rollout of revision " + rollout.getRevision();
    if (!unfinished(status)) {
      return new Refused(name + " has ended (" + describe(status) + ")");
    }
    return switch (action) {
      case ROLLOUT_ACTION_PAUSE ->
          status == RolloutStatus.ROLLOUT_STATUS_RUNNING
              ? new Done(
                  rollout.toBuilder()
                      .setStatus(RolloutStatus.ROLLOUT_STATUS_PAUSED)
                      .setReason("paused")
                      .build(),
                  "paused " + name)
              : new Refused(name + " is " + describe(status) + ", not running");
      case ROLLOUT_ACTION_RESUME ->
          status == RolloutStatus.ROLLOUT_STATUS_RUNNING
              ? new Refused(name + " is running already")
              : new Done(resumed(rollout, now), "resumed " + name);
      case ROLLOUT_ACTION_ABORT ->
          new Done(
              rollout.toBuilder()
                  .setStatus(RolloutStatus.ROLLOUT_STATUS_ABORTED)
                  .setReason("aborted: every host was given its previous revision back")
                  .setFinishedAt(ProtoTime.timestamp(now))
                  .build(),
              "aborted " + name + "; every host gets its previous revision back");
      default -> new Refused("no such rollout action: " + action);
    };
  }

  // After a halt the failed hosts start again, and their batch must be live again before the next.
  private static Rollout resumed(Rollout rollout, Instant now) {
    Rollout.Builder builder =
        rollout.toBuilder().setStatus(RolloutStatus.ROLLOUT_STATUS_RUNNING).setReason("");
    for (RolloutBatch.Builder batch : builder.getBatchesBuilderList()) {
      for (RolloutHost.Builder host : batch.getHostsBuilderList()) {
        if (host.getStep() == HostStep.HOST_STEP_FAILED) {
          host.setStep(HostStep.HOST_STEP_WAITING).setDetail("").setSince(ProtoTime.timestamp(now));
          batch.clearLiveAt();
        }
      }
    }
    return builder.build();
  }

  /**
   * Whether a rollout can still move or be controlled: running, paused, or halted (which a resume
   * retries). The others ended for good.
   */
  public static boolean unfinished(RolloutStatus status) {
    return status == RolloutStatus.ROLLOUT_STATUS_RUNNING
        || status == RolloutStatus.ROLLOUT_STATUS_PAUSED
        || status == RolloutStatus.ROLLOUT_STATUS_HALTED;
  }

  /** A status in words: "running", "halted", … */
  public static String describe(RolloutStatus status) {
    return switch (status) {
      case ROLLOUT_STATUS_RUNNING -> "running";
      case ROLLOUT_STATUS_PAUSED -> "paused";
      case ROLLOUT_STATUS_SUCCEEDED -> "succeeded";
      case ROLLOUT_STATUS_HALTED -> "halted";
      case ROLLOUT_STATUS_ABORTED -> "aborted";
      case ROLLOUT_STATUS_SUPERSEDED -> "superseded";
      default -> "unknown";
    };
  }
}
