package io.pulley.controller.secrets;

/** The outcome of an admin setting a secret. Neither outcome carries the value. */
public sealed interface SetSecretResult {

  /** The value is stored; {@code created} if the secret did not exist before. */
  record Stored(boolean created) implements SetSecretResult {}

  /** The request has a mistake in {@code field}; nothing was stored. */
  record Invalid(String field, String reason) implements SetSecretResult {}
}
