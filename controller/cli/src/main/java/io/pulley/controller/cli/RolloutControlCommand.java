package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ControlRolloutRequest;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutAction;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Pause, resume and abort: one request each, then the rollout as it is after it. */
abstract class RolloutControlCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "ENV")
  String environment;

  abstract RolloutAction action();

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    Rollout rollout =
        admin.controlRollout(
            ControlRolloutRequest.newBuilder()
                .setApplication(application)
                .setEnvironment(environment)
                .setAction(action())
                .build());
    if (json()) {
      printJson(rollout);
    } else {
      RolloutTable.print(rollout, Instant.now(), out());
    }
    return ExitCodes.OK;
  }

  @Command(name = "pause", description = "Start no further batch; hosts already deploying finish.")
  static final class Pause extends RolloutControlCommand {
    @Override
    RolloutAction action() {
      return RolloutAction.ROLLOUT_ACTION_PAUSE;
    }
  }

  @Command(
      name = "resume",
      description = "Go on after a pause, or after a halt (the failed hosts are tried again).")
  static final class Resume extends RolloutControlCommand {
    @Override
    RolloutAction action() {
      return RolloutAction.ROLLOUT_ACTION_RESUME;
    }
  }

  @Command(
      name = "abort",
      description = "Give every host of the rollout its previous revision back, and stop.")
  static final class Abort extends RolloutControlCommand {
    @Override
    RolloutAction action() {
      return RolloutAction.ROLLOUT_ACTION_ABORT;
    }
  }
}
