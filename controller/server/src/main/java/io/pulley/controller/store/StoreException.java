package io.pulley.controller.store;

/**
 * The database failed underneath a {@link Store} (I/O error, corrupt file, lock held too long).
 * Unchecked: no caller can do better than fail the request, and the message names the operation.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
