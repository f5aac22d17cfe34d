package io.pulley.controller.access;

import java.util.Map;

/** What the rest of the controller must do when a host's access changes. */
public interface AccessListener {
  /** The host may no longer call: end its held poll now. */
  void hostRevoked(String hostId);

  /** The host's bound labels changed: its plan follows them. */
  void hostLabelled(String hostId, Map<String, String> labels);

  /** The host is forgotten: end its held poll, forget what it reported. */
  void hostRemoved(String hostId);
}
