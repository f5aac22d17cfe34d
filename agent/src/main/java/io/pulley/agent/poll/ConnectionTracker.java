package io.pulley.agent.poll;

/**
 * Turns a stream of call successes and failures into outage start and end events. Not thread-safe:
 * owned by the poll loop.
 */
public final class ConnectionTracker {
  private final ConnectionListener listener;
  private int failures;

  public ConnectionTracker(ConnectionListener listener) {
    this.listener = listener;
  }

  public void failure(String reason) {
    failures++;
    if (failures == 1) {
      listener.lost(reason);
    }
  }

  public void success() {
    if (failures > 0) {
      listener.restored(failures);
      failures = 0;
    }
  }

  public int failures() {
    return failures;
  }
}
