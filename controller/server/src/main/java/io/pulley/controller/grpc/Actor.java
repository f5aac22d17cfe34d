package io.pulley.controller.grpc;

import com.google.re2j.Pattern;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.pulley.controller.access.Caller;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Who is calling, as recorded in revisions and the audit trail: the authenticated identity ("admin
 * alice"); in insecure mode what the client says about itself (the {@code pulley-actor} header)
 * plus the address it called from, so the record is honest about being unauthenticated.
 */
public final class Actor {
  private static final Pattern NOT_PRINTABLE = Pattern.compile("[^\\x21-\\x7e]");

  /** The header the CLI sets to "user@host". */
  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("pulley-actor", Metadata.ASCII_STRING_MARSHALLER);

  static final Context.Key<String> CURRENT = Context.key("pulley-actor");

  private Actor() {}

  /** The caller of the current gRPC call. */
  static String current() {
    String actor = CURRENT.get();
    return actor == null ? "unknown" : actor;
  }

  /** Puts the caller into the call's context. */
  public static ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Optional<Caller> caller = Callers.authenticated();
        if (caller.isPresent()) {
          return Contexts.interceptCall(
              Context.current().withValue(CURRENT, caller.get().actor()), call, headers, next);
        }
        String claimed = headers.get(HEADER);
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String who = sanitize(claimed == null ? "anonymous" : claimed);
        String actor = peer == null ? who : who + " via " + sanitize(peer.toString());
        return Contexts.interceptCall(
            Context.current().withValue(CURRENT, actor), call, headers, next);
      }
    };
  }

  private static String sanitize(String value) {
    String printable = NOT_PRINTABLE.matcher(value).replaceAll("?");
    return printable.length() > 100 ? printable.substring(0, 100) : printable;
  }
}
