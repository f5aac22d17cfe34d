package io.pulley.controller.access;

/**
 * An access request refused, with a reason safe to show the caller (never a token or key). The gRPC
 * adapter maps {@link Reason} to a status code, in one place.
 */
public final class AccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why, in the terms the adapter maps. */
  public enum Reason {
    /** The request is malformed: a field's value. */
    INVALID,
    /** The caller is not who may do this (a token no longer valid, a revoked identity). */
    UNAUTHENTICATED,
    /** The caller is known but may not do this. */
    DENIED,
    NOT_FOUND,
    ALREADY_EXISTS,
    /** Too many requests; try later. */
    EXHAUSTED
  }

  private final Reason reason;

  public AccessException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static AccessException invalid(String message) {
    return new AccessException(Reason.INVALID, message);
  }

  static AccessException notFound(String message) {
    return new AccessException(Reason.NOT_FOUND, message);
  }

  static AccessException denied(String message) {
    return new AccessException(Reason.DENIED, message);
  }
}
