package io.pulley.packaging.system;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a condition that asks a {@link HostController} through its CLI, a JVM of its own that
 * takes seconds of CPU per call, from the servers the test waits on. So the condition is asked
 * again at once when the controller's log has grown (each rollout step, revision and quarantine is
 * an audit line there), and otherwise after a quiet spell that grows with the wait, from 2 s to 10
 * s (a host's report of a plain deploy logs nothing). Each wait logs how long it took.
 */
final class ControllerPoll {
  private static final Duration LOOK = Duration.ofMillis(250);
  private static final Duration QUIET_MIN = Duration.ofSeconds(2);
  private static final Duration QUIET_MAX = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ControllerPoll.class);

  private ControllerPoll() {}

  interface Condition {
    boolean holds() throws Exception;
  }

  static void await(HostController controller, Condition condition, Duration atMost, String what)
      throws Exception {
    Instant start = Instant.now();
    Instant deadline = start.plus(atMost);
    int asks = 0;
    while (true) {
      Instant asked = Instant.now();
      long logSize = controller.logSize();
      asks++;
      if (condition.holds()) {
        break;
      }
      Duration quiet = quietSpell(Duration.between(start, asked));
      while (controller.logSize() == logSize && Instant.now().isBefore(asked.plus(quiet))) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("not within " + atMost + ": " + what);
        }
        Thread.sleep(LOOK.toMillis());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + atMost + ": " + what);
      }
    }
    // Where a system test's minutes go, step by step, in its log.
    log.info(
        "{} after {} ms ({} asks)", what, Duration.between(start, Instant.now()).toMillis(), asks);
  }

  /** A tenth of the time waited so far, within 2 to 10 s. */
  private static Duration quietSpell(Duration waited) {
    Duration tenth = waited.dividedBy(10);
    if (tenth.compareTo(QUIET_MIN) < 0) {
      return QUIET_MIN;
    }
    return tenth.compareTo(QUIET_MAX) > 0 ? QUIET_MAX : tenth;
  }
}
