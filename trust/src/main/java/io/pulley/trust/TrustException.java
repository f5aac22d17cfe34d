package io.pulley.trust;

/** A key, certificate, request or token that cannot be used; the message says why, safely. */
public final class TrustException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrustException(String message) {
    super(message);
  }

  public TrustException(String message, Throwable cause) {
    super(message, cause);
  }
}
