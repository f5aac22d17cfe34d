package io.pulley.controller.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.pulley.controller.access.Authenticator;
import io.pulley.controller.access.Caller;
import io.pulley.controller.access.Permission;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * In front of every service: establishes who calls from the TLS peer certificate and refuses the
 * call unless {@link Permission#of} its method allows that caller. In insecure mode every caller is
 * let through as an unauthenticated admin, as before authentication existed.
 */
public final class AccessInterceptor implements ServerInterceptor {
  private final Authenticator authenticator;
  private final RefusalLog refusals;

  private AccessInterceptor(Authenticator authenticator, RefusalLog refusals) {
    this.authenticator = authenticator;
    this.refusals = refusals;
  }

  public static AccessInterceptor secure(
      Authenticator authenticator,
      io.pulley.controller.metrics.ControllerMetrics metrics,
      java.time.Clock clock) {
    return new AccessInterceptor(authenticator, new RefusalLog(metrics, clock));
  }

  public static AccessInterceptor insecure() {
    return new AccessInterceptor(null, null);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (authenticator == null) {
      return Contexts.interceptCall(
          Context.current().withValue(Callers.CURRENT, Caller.insecure()), call, headers, next);
    }
    String method = call.getMethodDescriptor().getFullMethodName();
    Authenticator.Verdict verdict =
        authenticator.check(peerCertificate(call), Permission.of(method));
    Authenticator.Refusal refusal = verdict.refusal();
    if (refusal != null) {
      refusals.refused(peerAddress(call), method, refusal.reason(), refusal.message());
      Status status = refusal.unauthenticated() ? Status.UNAUTHENTICATED : Status.PERMISSION_DENIED;
      call.close(status.withDescription(refusal.message()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(Callers.PEER, peerAddress(call));
    if (verdict.caller() != null) {
      context = context.withValue(Callers.CURRENT, verdict.caller());
    }
    return Contexts.interceptCall(context, call, headers, next);
  }

  private static X509Certificate peerCertificate(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
    } catch (SSLPeerUnverifiedException e) {
      return null; // no client certificate: allowed by the handshake (Enrol needs none)
    }
  }

  /** The peer's IP address, without its port: refusals and rate limits count per address. */
  static String peerAddress(ServerCall<?, ?> call) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(remote);
  }
}
