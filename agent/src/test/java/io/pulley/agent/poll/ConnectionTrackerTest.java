package io.pulley.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionTrackerTest {

  /** Records events, as the logging listener would log them. */
  static final class RecordingListener implements ConnectionListener {
    final List<String> events = new ArrayList<>();

    @Override
    public synchronized void lost(String reason) {
      events.add("lost: " + reason);
    }

    @Override
    public synchronized void restored(int failedCalls) {
      events.add("restored after " + failedCalls);
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }
  }

  @Test
  void outage_isReportedOnceAndItsEndOnce() {
    RecordingListener listener = new RecordingListener();
    ConnectionTracker tracker = new ConnectionTracker(listener);

    tracker.success();
    for (int i = 0; i < 5; i++) {
      tracker.failure("UNAVAILABLE");
    }
    tracker.success();
    tracker.success();

    assertThat(listener.events()).containsExactly("lost: UNAVAILABLE", "restored after 5");
  }

  @Test
  void secondOutage_isReportedAgain() {
    RecordingListener listener = new RecordingListener();
    ConnectionTracker tracker = new ConnectionTracker(listener);

    tracker.failure("a");
    tracker.success();
    tracker.failure("b");
    tracker.failure("b");

    assertThat(listener.events()).containsExactly("lost: a", "restored after 1", "lost: b");
    assertThat(tracker.failures()).isEqualTo(2);
  }
}
