package io.pulley.agent.poll;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs an outage once at WARN when it starts and once at INFO when it ends. */
public final class LoggingConnectionListener implements ConnectionListener {
  private static final Logger log = LoggerFactory.getLogger(LoggingConnectionListener.class);
  private final String controller;

  public LoggingConnectionListener(String controller) {
    this.controller = controller;
  }

  @Override
  public void lost(String reason) {
    log.warn(
        "controller {} unreachable ({}); keeping the applied plan and retrying with backoff",
        controller,
        reason);
  }

  @Override
  public void restored(int failedCalls) {
    log.info("controller {} reachable again after {} failed polls", controller, failedCalls);
  }
}
