package io.pulley.controller.cli;

import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutBatch;
import io.pulley.v1.RolloutHost;
import io.pulley.v1.RolloutPolicy;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;

/** A rollout as people read it: one line about the whole, then a row per host. */
final class RolloutTable {
  private RolloutTable() {}

  static void print(Rollout rollout, Instant now, PrintWriter out) {
    out.printf(
        "%s/%s revision %d: %s%s%n",
        rollout.getApplication(),
        rollout.getEnvironment(),
        rollout.getRevision(),
        Formats.status(rollout.getStatus()),
        rollout.getReason().isEmpty() ? "" : " — " + rollout.getReason());
    out.printf(
        "policy: %s; started %s%n",
        policy(rollout.getPolicy()), Formats.time(rollout.getStartedAt()));
    TextTable table = new TextTable("BATCH", "HOST", "STEP", "SINCE", "DETAIL");
    for (int i = 0; i < rollout.getBatchesCount(); i++) {
      RolloutBatch batch = rollout.getBatches(i);
      String name = i == 0 ? "canary" : Integer.toString(i + 1);
      for (RolloutHost host : batch.getHostsList()) {
        table.row(
            name,
            host.getHostId(),
            step(host),
            Formats.ago(host.getSince(), now),
            host.getDetail().isEmpty() ? "-" : host.getDetail());
      }
    }
    table.print(out);
    out.flush();
  }

  private static String step(RolloutHost host) {
    String word = host.getStep().name().substring("HOST_STEP_".length()).toLowerCase(Locale.ROOT);
    return switch (host.getStep()) {
      case HOST_STEP_WAITING, HOST_STEP_FAILED ->
          word + " (on #" + host.getPreviousRevision() + ")";
      default -> word;
    };
  }

  private static String policy(RolloutPolicy policy) {
    return "canary "
        + Math.max(1, policy.getCanary())
        + ", batch "
        + (policy.getBatch().isEmpty() ? "the rest" : policy.getBatch())
        + ", bake "
        + policy.getBakeSeconds()
        + " s, offline hosts "
        + (policy.getOfflineHostsValue() == 2 ? "block" : "are skipped");
  }
}
