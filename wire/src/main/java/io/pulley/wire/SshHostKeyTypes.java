package io.pulley.wire;

import java.util.Set;

/**
 * The SSH host key types a Git remote's pinned key may have: the controller checks a manifest's
 * {@code host_key} against them and the agent writes only these into known_hosts, so both sides
 * agree on what a host key line is.
 */
public final class SshHostKeyTypes {
  public static final Set<String> ACCEPTED =
      Set.of(
          "ssh-ed25519",
          "ecdsa-sha2-nistp256",
          "ecdsa-sha2-nistp384",
          "ecdsa-sha2-nistp521",
          "ssh-rsa");

  private SshHostKeyTypes() {}
}
