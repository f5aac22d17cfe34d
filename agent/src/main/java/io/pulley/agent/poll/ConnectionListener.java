package io.pulley.agent.poll;

/**
 * Hears when the controller becomes unreachable and when it is back, once per outage rather than
 * once per failed call. Called from the poll thread only; implementations need not be thread-safe.
 */
public interface ConnectionListener {

  /** The first call of an outage failed. */
  void lost(String reason);

  /** A call succeeded after {@code failedCalls} consecutive failures. */
  void restored(int failedCalls);
}
