package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.process.CommandEnvironment;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import io.pulley.v1.lite.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Remote control of one Celery worker through the broker, with the release's own celery command run
 * as the app user: ping it, or make it stop consuming a queue. Each call is addressed to one node
 * (--destination NODE@HOST), so it returns as soon as that node answers. Thread-safe as its runner
 * is.
 */
final class CeleryControl {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String RUNUSER = "/usr/sbin/runuser";

  /** The host's name as Celery's %h sees it (the kernel's hostname). */
  @FunctionalInterface
  interface HostName {
    String get() throws IOException;
  }

  static final HostName KERNEL_HOSTNAME =
      () -> Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();

  private final CommandRunner runner;
  private final HostName hostName;

  CeleryControl(CommandRunner runner, HostName hostName) {
    this.runner = runner;
    this.hostName = hostName;
  }

  /** Pings {@code node}; the run, whose output names the node if it answered. */
  Result ping(Command celery, String node) throws IOException, InterruptedException {
    return run(celery, List.of("inspect", "ping", "--timeout", "3"), node);
  }

  /** Tells {@code node} to stop consuming {@code queue}: what it already took it still runs. */
  Result cancelConsumer(Command celery, String node, String queue)
      throws IOException, InterruptedException {
    return run(celery, List.of("control", "cancel_consumer", queue, "--timeout", "3"), node);
  }

  /** Whether a ping's output shows {@code node} answered. */
  static boolean answered(Result ping, String node) {
    return ping.succeeded() && ping.outputTail().contains(node + "@");
  }

  private Result run(Command celery, List<String> subcommand, String node)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    if (!celery.getUser().isEmpty()) {
      argv.addAll(List.of(RUNUSER, "-u", celery.getUser(), "--"));
    }
    argv.addAll(celery.getArgvList());
    argv.addAll(subcommand);
    argv.addAll(List.of("--destination", node + "@" + hostName.get()));
    Map<String, String> env = CommandEnvironment.of(celery, Optional.empty());
    Path dir = Path.of(celery.getWorkingDir().isEmpty() ? "/" : celery.getWorkingDir());
    return runner.run(new Invocation(argv, dir, env, "", TIMEOUT));
  }
}
