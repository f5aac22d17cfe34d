package io.pulley.controller.cli;

import picocli.CommandLine.Command;

@Command(
    name = "rollout",
    description = "Show or steer the rollout of an application's newest revision across its hosts.",
    subcommands = {
      RolloutStatusCommand.class,
      RolloutControlCommand.Pause.class,
      RolloutControlCommand.Resume.class,
      RolloutControlCommand.Abort.class
    })
final class RolloutCommand {}
