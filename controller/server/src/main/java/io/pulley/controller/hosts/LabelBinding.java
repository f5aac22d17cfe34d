package io.pulley.controller.hosts;

import java.util.Map;
import java.util.Optional;

/**
 * The labels the controller binds to a host (from its token or an admin), which replace the labels
 * its agent reports: labels decide which manifests, and so which secrets, a host receives.
 * Implementations are thread-safe and fast (read at every poll).
 */
@FunctionalInterface
public interface LabelBinding {
  /** Agents' labels are taken as they say (insecure mode). */
  LabelBinding AS_REPORTED = hostId -> Optional.empty();

  /** The labels bound to {@code hostId}, or empty to keep what its agent reports. */
  Optional<Map<String, String>> labelsOf(String hostId);
}
