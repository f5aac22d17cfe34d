package io.pulley.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.testing.ManualClock;
import io.pulley.v1.PollRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Online means polled within three controller holds, or within the agent's own hold and a minute.
 */
class RegistryFleetTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final HostRegistry hosts = new HostRegistry(new InMemoryStore(), clock);
  private static final Duration THREE_MIN = Duration.ofMinutes(3);
  private final RegistryFleet fleet = new RegistryFleet(hosts, clock, THREE_MIN);

  @Test
  void agentThatAsksForNoHold_isOfflineThreeControllerHoldsAfterItsLastPoll() {
    hosts.recordPoll(PollRequest.newBuilder().setHostId("web-1").build());

    clock.advance(Duration.ofSeconds(179));
    assertThat(fleet.online("web-1")).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(fleet.online("web-1")).isFalse();
  }

  @Test
  void agentHoldingLongerThanThat_staysOnlineForItsHoldAndAMinute() {
    hosts.recordPoll(PollRequest.newBuilder().setHostId("web-1").setHoldSeconds(240).build());

    clock.advance(Duration.ofSeconds(299));
    assertThat(fleet.online("web-1")).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(fleet.online("web-1")).isFalse();
  }

  @Test
  void askedHold_countsOnlyUpToTheWiresLimit() {
    hosts.recordPoll(PollRequest.newBuilder().setHostId("web-1").setHoldSeconds(86_400).build());

    clock.advance(Duration.ofSeconds(661));
    assertThat(fleet.online("web-1")).isFalse();
  }

  @Test
  void aChangedHold_isWrittenAtTheNextFlush_soThatARestartedControllerKnowsIt() {
    InMemoryStore store = new InMemoryStore();
    HostRegistry first = new HostRegistry(store, clock);
    first.recordPoll(PollRequest.newBuilder().setHostId("web-1").setHoldSeconds(240).build());
    first.flush();
    clock.advance(Duration.ofSeconds(10));
    // Within the last-seen write interval: only the changed hold makes this poll worth writing.
    first.recordPoll(PollRequest.newBuilder().setHostId("web-1").setHoldSeconds(600).build());
    first.flush();

    RegistryFleet restarted = new RegistryFleet(new HostRegistry(store, clock), clock, THREE_MIN);
    clock.advance(Duration.ofSeconds(600));

    assertThat(restarted.online("web-1")).isTrue();
  }

  @Test
  void unknownHost_isOffline() {
    assertThat(fleet.online("web-9")).isFalse();
  }
}
