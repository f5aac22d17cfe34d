package io.pulley.controller.manifest;

import java.util.Optional;

/**
 * What the compiler reads to reach private Git remotes: an application's secrets (deploy keys,
 * tokens) and the SSH host keys the controller trusts. Implementations are thread-safe; values stay
 * in memory and never reach a log or an error.
 */
public interface RemoteAccess {

  /** The value of {@code app}'s secret {@code name}, if it is set. */
  Optional<String> secret(AppEnv app, String name);

  /**
   * The host key the controller trusts for the SSH server at {@code hostPort} ("host:port"), as an
   * OpenSSH public key line, if it has seen one.
   */
  Optional<String> trustedHostKey(String hostPort);
}
