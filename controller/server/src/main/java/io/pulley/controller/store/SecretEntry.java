package io.pulley.controller.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What may be shown about a stored secret: everything but its value. Immutable.
 *
 * @param name the secret's name
 * @param generated true if the controller made the value, false if an admin set it
 * @param updatedAt when the value was last written ({@link Instant#EPOCH} if not known: the secret
 *     predates the record)
 * @param updatedBy who wrote it last: the admin's actor, or "controller" for a generated value
 */
public record SecretEntry(String name, boolean generated, Instant updatedAt, String updatedBy) {

  /** Who {@link #updatedBy} names for a value the controller generated. */
  public static final String CONTROLLER = "controller";

  public SecretEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
  }
}
