package io.pulley.controller.server;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulley.controller.grpc.Actor;
import io.pulley.controller.grpc.AdminGrpcService;
import io.pulley.controller.grpc.AgentGrpcService;
import io.pulley.controller.grpc.RolloutCalls;
import io.pulley.controller.grpc.UnexpectedErrors;
import io.pulley.controller.manifest.GitRefResolver;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.metrics.MetricsEndpoint;
import io.pulley.controller.store.SqliteStore;
import io.pulley.controller.tracking.WebhookEndpoint;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.wire.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: its parts ({@link ControllerParts}), the services over gRPC, and the
 * metrics and webhook endpoints.
 */
public final class ControllerServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerServer.class);

  private final ControllerParts parts;
  private final Server server;
  private final HealthStatusManager health;
  private final MetricsEndpoint metricsEndpoint;
  private final WebhookEndpoint webhookEndpoint;

  private ControllerServer(
      ControllerParts parts,
      Server server,
      HealthStatusManager health,
      MetricsEndpoint metricsEndpoint,
      WebhookEndpoint webhookEndpoint) {
    this.parts = parts;
    this.server = server;
    this.health = health;
    this.metricsEndpoint = metricsEndpoint;
    this.webhookEndpoint = webhookEndpoint;
  }

  /** Opens the store and starts serving; returns once the port is bound. */
  public static ControllerServer start(
      ControllerConfig config, GitRefResolver resolver, Clock clock) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    ControllerMetrics metrics = new ControllerMetrics(registry);
    ControllerParts parts =
        ControllerParts.assemble(
            SqliteStore.open(config.dataDir()), resolver, clock, metrics, config);
    parts.startTicking();
    HealthStatusManager health = new HealthStatusManager();
    Server server = grpcServer(config, parts, metrics, health);
    try {
      server.start();
    } catch (IOException e) {
      parts.close();
      parts.store.close();
      throw new IOException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(AdminServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    MetricsEndpoint endpoint = null;
    if (config.metricsListen().isPresent()) {
      endpoint = MetricsEndpoint.start(config.metricsListen().get(), registry);
    }
    log.info(
        "controller serving on {} (data in {}){}",
        server.getListenSockets(),
        config.dataDir(),
        endpoint == null ? "" : ", metrics on port " + endpoint.port());
    WebhookEndpoint webhooks = null;
    if (config.webhookListen().isPresent()) {
      webhooks =
          WebhookEndpoint.start(
              config.webhookListen().get(),
              parts.revisions,
              parts.store,
              parts.tracker,
              parts.audit,
              parts::trackSoon);
      log.info("webhooks on port {} at /hooks/APP/ENV", webhooks.port());
    }
    return new ControllerServer(parts, server, health, endpoint, webhooks);
  }

  private static Server grpcServer(
      ControllerConfig config,
      ControllerParts parts,
      ControllerMetrics metrics,
      HealthStatusManager health) {
    return NettyServerBuilder.forAddress(config.listen())
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
                    new RolloutCalls(parts.rollouts, parts.audit)),
                new UnexpectedErrors(),
                Actor.interceptor()))
        .addService(
            ServerInterceptors.intercept(
                new AgentGrpcService(parts.polls, parts.hosts, metrics), new UnexpectedErrors()))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build();
  }

  /** The gRPC port actually bound. */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** The metrics port, or -1 if metrics are off. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  /** The webhook port, or -1 if webhooks are off. */
  public int webhookPort() {
    return webhookEndpoint == null ? -1 : webhookEndpoint.port();
  }

  /** Blocks until the server has shut down. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops accepting calls, answers held polls, and closes the store. Idempotent. */
  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    parts.polls.close();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    parts.close();
    if (webhookEndpoint != null) {
      webhookEndpoint.close();
    }
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    parts.store.close();
  }
}
