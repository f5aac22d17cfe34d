package io.pulley.controller.rollout;

import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.HostState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The fleet as the host registry knows it. A host is online if it polled within {@code
 * onlineWithin}: agents poll again as soon as a held poll ends, so a few poll holds without one
 * mean the agent is down or cut off.
 */
public final class RegistryFleet implements Fleet {
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
    return clock.instant().isBefore(seen.plus(onlineWithin));
  }
}
