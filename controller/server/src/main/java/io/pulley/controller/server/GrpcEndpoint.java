package io.pulley.controller.server;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.pulley.controller.access.Access;
import io.pulley.controller.grpc.AccessGrpcService;
import io.pulley.controller.grpc.AccessInterceptor;
import io.pulley.controller.grpc.Actor;
import io.pulley.controller.grpc.AdminGrpcService;
import io.pulley.controller.grpc.AgentGrpcService;
import io.pulley.controller.grpc.EnrolGrpcService;
import io.pulley.controller.grpc.PromoteCalls;
import io.pulley.controller.grpc.RolloutCalls;
import io.pulley.controller.grpc.UnexpectedErrors;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.wire.WireLimits;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The gRPC server: every service behind the access interceptor, over TLS unless insecure. */
final class GrpcEndpoint {
  /** Longest a connection lives, so renewed certificates and revocations take hold. */
  private static final Duration MAX_CONNECTION_AGE = Duration.ofHours(1);

  private GrpcEndpoint() {}

  /** A secure server when {@code tls} and {@code access} are given, else an insecure one. */
  static Server build(
      ControllerConfig config,
      ControllerParts parts,
      ControllerMetrics metrics,
      HealthStatusManager health,
      ServerTls tls,
      Access access,
      Clock clock)
      throws IOException {
    NettyServerBuilder builder =
        tls == null
            ? NettyServerBuilder.forAddress(config.listen())
            : NettyServerBuilder.forAddress(config.listen(), tls.credentials());
    builder
        // Agents ping to keep their held poll alive through NAT and proxies.
        .permitKeepAliveTime(20, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxConnectionIdle(10, TimeUnit.MINUTES)
        // Bounded: what each number is for is said in WireLimits.
        .maxInboundMessageSize(WireLimits.MAX_SERVER_INBOUND_BYTES)
        .maxInboundMetadataSize(WireLimits.MAX_INBOUND_METADATA_BYTES)
        .handshakeTimeout(WireLimits.HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .maxConcurrentCallsPerConnection(WireLimits.MAX_CONCURRENT_CALLS_PER_CONNECTION)
        .addService(
            ServerInterceptors.intercept(
                new AdminGrpcService(
                    parts.revisions,
                    parts.hosts,
                    parts.plans,
                    parts.polls,
                    new RolloutCalls(parts.rollouts, parts.audit),
                    new PromoteCalls(parts.promotions)),
                new UnexpectedErrors(),
                Actor.interceptor()))
        .addService(
            ServerInterceptors.intercept(
                new AgentGrpcService(parts.polls, parts.hosts, parts.done, metrics),
                new UnexpectedErrors()))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance());
    if (access == null) {
      return builder.intercept(AccessInterceptor.insecure()).build();
    }
    TlsConfig tlsConfig = config.tls().orElseThrow();
    Duration shortest =
        tlsConfig.hostCertLifetime().compareTo(tlsConfig.adminCertLifetime()) < 0
            ? tlsConfig.hostCertLifetime()
            : tlsConfig.adminCertLifetime();
    Duration age =
        shortest.dividedBy(4).compareTo(MAX_CONNECTION_AGE) < 0
            ? shortest.dividedBy(4)
            : MAX_CONNECTION_AGE;
    // A held poll, as long as an agent may ask for, ends within the grace; then the agent polls
    // again on a new connection.
    Duration longestHold = config.pollHold().plus(config.pollHoldJitter());
    if (longestHold.getSeconds() < WireLimits.MAX_ASKED_POLL_HOLD_SECONDS) {
      longestHold = Duration.ofSeconds(WireLimits.MAX_ASKED_POLL_HOLD_SECONDS);
    }
    Duration grace = longestHold.plusSeconds(30);
    return builder
        .maxConnectionAge(age.toMillis(), TimeUnit.MILLISECONDS)
        .maxConnectionAgeGrace(grace.toMillis(), TimeUnit.MILLISECONDS)
        .addService(
            ServerInterceptors.intercept(
                new EnrolGrpcService(access.desk()), new UnexpectedErrors()))
        .addService(
            ServerInterceptors.intercept(new AccessGrpcService(access), new UnexpectedErrors()))
        .intercept(AccessInterceptor.secure(access.authenticator(), metrics, clock))
        .build();
  }
}
