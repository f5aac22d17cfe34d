package io.pulley.agent.apply.apt;

import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs an apt command again while another apt holds a lock that {@code DPkg::Lock::Timeout} does
 * not wait for: the archives' and the lists' (apt's own daily download, unattended-upgrades, an
 * admin's apt). apt then fails at once with "Could not get lock". With a stack's security_upgrades
 * on, apt's daily jobs download and install on the host too, so the agent's installs meet them. One
 * apply at a time.
 */
final class AptLockWait {
  static final String LOCKED = "Could not get lock";
  static final Duration WAIT = Duration.ofMinutes(10);
  static final Duration PAUSE = Duration.ofSeconds(5);

  /** Waits between two tries; tests advance a clock instead. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final CommandRunner runner;
  private final Clock clock;
  private final Sleeper sleeper;

  AptLockWait(CommandRunner runner, Clock clock, Sleeper sleeper) {
    this.runner = runner;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** {@code invocation}'s result, tried again every {@link #PAUSE} for {@link #WAIT} if locked. */
  Result run(Invocation invocation) throws InterruptedException {
    Instant deadline = clock.instant().plus(WAIT);
    Result result = runner.run(invocation);
    while (!result.succeeded()
        && result.outputTail().contains(LOCKED)
        && clock.instant().isBefore(deadline)) {
      sleeper.sleep(PAUSE);
      result = runner.run(invocation);
    }
    return result;
  }
}
