package io.pulley.controller.grpc;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.pulley.controller.access.Caller;
import io.pulley.controller.access.Scopes;
import io.pulley.controller.manifest.AppEnv;
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

  /** Whether the caller's scopes (if any) let it change {@code app}. */
  static boolean mayChange(AppEnv app) {
    return current()
        .map(caller -> Scopes.allow(caller.scopes(), app.application(), app.environment()))
        .orElse(true);
  }

  static StatusRuntimeException outOfScope(AppEnv app) {
    Caller caller = current().orElse(Caller.insecure());
    return GrpcErrors.permissionDenied(
        caller.actor() + " may change only " + String.join(", ", caller.scopes()) + ", not " + app);
  }

  /** The authenticated caller, if there is one (never in insecure mode). */
  static Optional<Caller> authenticated() {
    return current().filter(Caller::authenticated);
  }
}
