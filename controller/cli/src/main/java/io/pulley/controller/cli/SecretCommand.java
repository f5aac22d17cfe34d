package io.pulley.controller.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "secret",
    description =
        "Set and list the secrets of an application in an environment (values are never shown).",
    subcommands = {SecretSetCommand.class, SecretListCommand.class})
final class SecretCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: `pulley secret set` or `pulley secret list`");
  }
}
