package io.pulley.agent.apply.systemd;

import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.v1.lite.ServiceProbe;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks a service whether it serves ({@link ServiceProbe}), once or until it answers. Stateless
 * apart from its runner.
 */
final class ServiceProbes {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration EACH_RUN = Duration.ofSeconds(5);
  private static final Duration INTERVAL = Duration.ofMillis(500);

  private final CommandRunner runner;

  ServiceProbes(CommandRunner runner) {
    this.runner = runner;
  }

  /** Empty if it answers now; else what the probe said. */
  Optional<String> once(ServiceProbe probe) throws InterruptedException {
    CommandRunner.Result result =
        runner.run(CommandRunner.Invocation.of(List.copyOf(probe.getArgvList()), EACH_RUN));
    if (result.succeeded()) {
      return Optional.empty();
    }
    String said = result.outputTail().strip().lines().reduce((a, b) -> b).orElse("");
    return Optional.of(
        String.join(" ", probe.getArgvList())
            + ": "
            + result.failure(EACH_RUN)
            + (said.isEmpty() ? "" : " (" + said + ")"));
  }

  /** Empty once it answers within the probe's timeout; else what it said last. */
  Optional<String> await(ServiceProbe probe) throws InterruptedException {
    return await(probe, timeout(probe));
  }

  /** As {@link #await(ServiceProbe)}, within {@code atMost} or the probe's timeout if shorter. */
  Optional<String> await(ServiceProbe probe, Duration atMost) throws InterruptedException {
    Duration probeTimeout = timeout(probe);
    Duration timeout = atMost.compareTo(probeTimeout) < 0 ? atMost : probeTimeout;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> failure = once(probe);
      if (failure.isEmpty() || System.nanoTime() - deadline > 0) {
        return failure;
      }
      Thread.sleep(INTERVAL.toMillis());
    }
  }

  private static Duration timeout(ServiceProbe probe) {
    return probe.getTimeoutSeconds() > 0
        ? Duration.ofSeconds(probe.getTimeoutSeconds())
        : DEFAULT_TIMEOUT;
  }
}
