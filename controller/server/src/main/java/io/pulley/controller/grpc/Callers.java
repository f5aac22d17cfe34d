package io.pulley.controller.grpc;

import io.grpc.Context;
import io.pulley.controller.access.Caller;
import java.util.Optional;

/** The authenticated caller of the current gRPC call, put there by {@link AccessInterceptor}. */
final class Callers {
  static final Context.Key<Caller> CURRENT = Context.key("pulley-caller");

  /** The caller's IP address (no port). */
  static final Context.Key<String> PEER = Context.key("pulley-peer");

  private Callers() {}

  static String peer() {
    String peer = PEER.get();
    return peer == null ? "unknown" : peer;
  }

  /**
   * The caller the interceptor established; empty for a method anyone may call, and in tests that
   * call a service without the interceptor.
   */
  static Optional<Caller> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** The authenticated caller, if there is one (never in insecure mode). */
  static Optional<Caller> authenticated() {
    return current().filter(Caller::authenticated);
  }
}
