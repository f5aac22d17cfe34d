package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.GetRolloutRequest;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Where the newest rollout is, host by host.")
final class RolloutStatusCommand extends ClientCommand {
  private static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "ENV")
  String environment;

  @Option(
      names = "--watch",
      description = "Print it again whenever it changes, until the rollout ends.")
  boolean watch;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    GetRolloutRequest request =
        GetRolloutRequest.newBuilder()
            .setApplication(application)
            .setEnvironment(environment)
            .build();
    Rollout shown = null;
    while (true) {
      Rollout rollout = admin.getRollout(request);
      if (!rollout.equals(shown)) {
        if (json()) {
          printJson(rollout);
        } else {
          if (shown != null) {
            out().println();
          }
          RolloutTable.print(rollout, Instant.now(), out());
        }
        shown = rollout;
      }
      if (!watch || ended(rollout)) {
        return rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_HALTED
                || rollout.getStatus() == RolloutStatus.ROLLOUT_STATUS_ABORTED
            ? ExitCodes.FAILED
            : ExitCodes.OK;
      }
      try {
        Thread.sleep(WATCH_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCodes.FAILED;
      }
    }
  }

  // Halted is not ended for an admin who may resume it, but a watch has nothing more to show.
  private static boolean ended(Rollout rollout) {
    return rollout.getStatus() != RolloutStatus.ROLLOUT_STATUS_RUNNING
        && rollout.getStatus() != RolloutStatus.ROLLOUT_STATUS_PAUSED;
  }
}
