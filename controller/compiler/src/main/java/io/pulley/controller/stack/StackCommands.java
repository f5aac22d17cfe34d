package io.pulley.controller.stack;

import io.pulley.v1.Command;
import io.pulley.v1.CommandOnce;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCommand;

/**
 * A stack's commands as the agent runs them: in the new release, as the application's user, with
 * its environment, guarded by their {@code creates} and {@code unless}, and at most once per
 * release or per host by a marker the agent writes after success. {@code once: environment} keeps
 * the host's marker too, and the controller leaves the command out of the environment's plans once
 * a host has reported its success. Stateless.
 */
final class StackCommands {
  private StackCommands() {}

  /** The resource of {@code step}, the manifest's {@code stack.commands} entry. */
  static Resource resource(StackLayout layout, Stack stack, StackCommand step) {
    Command.Builder command =
        inRelease(layout)
            .addAllArgv(step.getArgvList())
            .setTimeoutSeconds(step.getTimeoutSeconds())
            .setDoneMarker(marker(layout, step))
            .setOncePerEnvironment(step.getOncePerEnvironment() || onceInEnvironment(step))
            .setOnceEverInEnvironment(onceInEnvironment(step))
            .addAllUnless(step.getUnlessList());
    if (!step.getCreates().isEmpty()) {
      command.setCreates(inShared(layout, step.getCreates()));
    }
    return StackRenderer.resource("command:" + step.getName(), r -> r.setCommand(command));
  }

  /**
   * A command run in the release, as the application's user, with the application's environment
   * file (which the agent reads as it runs the command) and the release's virtualenv first in PATH.
   */
  static Command.Builder inRelease(StackLayout layout) {
    return Command.newBuilder()
        .setWorkingDir(layout.release())
        .putEnv("PATH", layout.release() + "/venv/bin:" + StackLayout.SYSTEM_PATH)
        .setEnvFile(layout.environmentFile())
        .setUser(layout.name());
  }

  /** A path of {@code creates}: absolute as written, else below the shared directory. */
  static String inShared(StackLayout layout, String path) {
    return path.startsWith("/") ? path : layout.shared() + "/" + path;
  }

  private static boolean onceInEnvironment(StackCommand step) {
    return step.getOnce() == CommandOnce.COMMAND_ONCE_ENVIRONMENT;
  }

  private static String marker(StackLayout layout, StackCommand step) {
    String name = "command-" + step.getName();
    // Once in the environment implies once on the host: a host never runs it twice, even before
    // the controller has recorded its success.
    return step.getOnce() == CommandOnce.COMMAND_ONCE_HOST || onceInEnvironment(step)
        ? layout.shared() + "/.pulley-done/" + name
        : layout.release() + "/.pulley-done/" + name;
  }
}
