package io.pulley.agent.apply.firewall;

import io.pulley.agent.config.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens a new TCP connection to the controller's gRPC port, as the agent's next poll would: a
 * connection that completes shows the packets go both ways through the new ruleset. (The agent's
 * open poll is no proof: it may still be waiting on a connection the new rules drop.) A failed try
 * is repeated every half second until the time is up, so that a controller restarting meanwhile is
 * not taken for a ruleset that cuts it off. Thread-safe.
 */
public final class TcpControllerReach implements ControllerReach {
  private static final Duration PER_TRY = Duration.ofSeconds(3);
  private static final Duration PAUSE = Duration.ofMillis(500);

  private final HostPort controller;

  public TcpControllerReach(HostPort controller) {
    this.controller = controller;
  }

  @Override
  public Optional<String> reach(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "no try";
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.of(
            controller + " did not answer within " + within.toSeconds() + "s: " + last);
      }
      int timeout = (int) Math.max(1, Math.min(PER_TRY.toMillis(), left / 1_000_000));
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(controller.host(), controller.port()), timeout);
        return Optional.empty();
      } catch (IOException e) {
        last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
      Thread.sleep(Math.min(PAUSE.toMillis(), Math.max(1, left / 1_000_000)));
    }
  }
}
