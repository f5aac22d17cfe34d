package io.pulley.controller.rollout;

import io.pulley.v1.HostState;
import java.util.Optional;

/** What a rollout reads about hosts: their records and whether they are reachable now. */
public interface Fleet {
  /** The host's record as last heard of, if the controller knows it. */
  Optional<HostState> state(String hostId);

  /** Whether the host polls now or did so recently enough to be counted on. */
  boolean online(String hostId);
}
