package io.pulley.agent.apply.firewall;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether this host still reaches its controller with a new connection, as the agent's next poll
 * would need: the test of a ruleset just loaded. {@link TcpControllerReach} connects for real; unit
 * tests answer as they need.
 */
public interface ControllerReach {

  /**
   * Tries until the controller answers or {@code within} has passed.
   *
   * @return empty when it answered, else why not ("10.0.0.5:7400 did not answer within 20s: …")
   */
  Optional<String> reach(Duration within) throws InterruptedException;
}
