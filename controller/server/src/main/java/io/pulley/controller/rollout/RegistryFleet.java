package io.pulley.controller.rollout;

import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.HostState;
import io.pulley.wire.WireLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The fleet as the host registry knows it. A host is online if it polled within {@code
 * onlineWithin}, or within the hold its agent asked for and a minute, if that is longer: agents
 * poll again as soon as a held poll ends, so a few poll holds without one mean the agent is down or
 * cut off.
 */
public final class RegistryFleet implements Fleet {
  /** After an asked hold ends, time for the agent's next poll to arrive. */
  static final Duration NEXT_POLL_SLACK = Duration.ofMinutes(1);

  private final HostRegistry hosts;
  private final Clock clock;
  private final Duration onlineWithin;

  public RegistryFleet(HostRegistry hosts, Clock clock, Duration onlineWithin) {
    this.hosts = hosts;
    this.clock = clock;
    this.onlineWithin = onlineWithin;
  }

  @Override
  public Optional<HostState> state(String hostId) {
    return hosts.get(hostId);
  }

  @Override
  public boolean online(String hostId) {
    Optional<HostState> host = hosts.get(hostId);
    if (host.isEmpty() || !host.get().hasLastSeen()) {
      return false;
    }
    Instant seen = ProtoTime.instant(host.get().getLastSeen());
    long asked = Math.min(host.get().getPollHoldSeconds(), WireLimits.MAX_ASKED_POLL_HOLD_SECONDS);
    Duration window = Duration.ofSeconds(asked).plus(NEXT_POLL_SLACK);
    if (window.compareTo(onlineWithin) < 0) {
      window = onlineWithin;
    }
    return clock.instant().isBefore(seen.plus(window));
  }
}
