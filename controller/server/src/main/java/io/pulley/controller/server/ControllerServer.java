package io.pulley.controller.server;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulley.controller.access.Access;
import io.pulley.controller.access.Issuer;
import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.hosts.LabelBinding;
import io.pulley.controller.manifest.GitRefResolver;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.metrics.MetricsEndpoint;
import io.pulley.controller.store.SqliteStore;
import io.pulley.controller.tracking.WebhookEndpoint;
import io.pulley.v1.AdminServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
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
  private final DataDirLock dataDirLock;

  private ControllerServer(
      DataDirLock dataDirLock,
      ControllerParts parts,
      Server server,
      HealthStatusManager health,
      MetricsEndpoint metricsEndpoint,
      WebhookEndpoint webhookEndpoint) {
    this.dataDirLock = dataDirLock;
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
    DataDirLock lock = DataDirLock.acquire(config.dataDir());
    SqliteStore store;
    try {
      store = SqliteStore.open(config.dataDir(), config.secretsKey());
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    AccessReactions reactions = new AccessReactions();
    ServerTls tls = null;
    Access access = null;
    Optional<SSLContext> webhookTls = Optional.empty();
    try {
      if (config.tls().isPresent()) {
        TlsConfig tlsConfig = config.tls().get();
        tls = ServerTls.prepare(config.dataDir(), tlsConfig, clock);
        if (config.webhookListen().isPresent()) {
          // Read now, so that a wrong certificate or key stops the start, not the first push.
          webhookTls = Optional.of(tls.webhookContext());
        }
        Issuer issuer =
            new Issuer(tls.ca(), tlsConfig.hostCertLifetime(), tlsConfig.adminCertLifetime());
        AuditTrail trail = new AuditTrail(store, clock, metrics);
        access =
            Access.open(
                store.access(),
                issuer,
                clock,
                reactions,
                trail,
                config.dataDir(),
                tlsConfig.enrolsPerMinute());
      }
    } catch (IOException | RuntimeException e) {
      store.close();
      lock.close();
      throw e;
    }
    LabelBinding labels = access == null ? LabelBinding.AS_REPORTED : access.hosts()::boundLabels;
    ControllerParts parts =
        ControllerParts.assemble(store, labels, resolver, clock, metrics, config);
    reactions.connect(parts.hosts, parts.polls);
    parts.startTicking();
    if (config.isInsecure()) {
      boolean webhooks = config.webhookListen().isPresent();
      parts.every(Duration.ofHours(1), () -> warnInsecure(webhooks));
    }
    HealthStatusManager health = new HealthStatusManager();
    Server server;
    try {
      server = GrpcEndpoint.build(config, parts, metrics, health, tls, access, clock);
      server.start();
    } catch (IOException e) {
      parts.close();
      parts.store.close();
      lock.close();
      throw new IOException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(AdminServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    MetricsEndpoint endpoint = null;
    if (config.metricsListen().isPresent()) {
      endpoint = MetricsEndpoint.start(config.metricsListen().get(), registry);
    }
    log.info(
        "controller serving {} on {} (data in {}){}",
        config.isInsecure() ? "PLAINTEXT" : "TLS",
        server.getListenSockets(),
        config.dataDir(),
        endpoint == null ? "" : ", metrics on port " + endpoint.port());
    if (tls != null) {
      log.info(
          "TLS: CA {} (pin {}), server certificate {} for {}",
          tls.caFile(),
          tls.ca().pin().hex(),
          tls.chainFile(),
          config.tls().get().advertise());
    }
    WebhookEndpoint webhooks = null;
    if (config.webhookListen().isPresent()) {
      webhooks =
          WebhookEndpoint.start(
              config.webhookListen().get(),
              webhookTls,
              parts.revisions,
              parts.store,
              parts.tracker,
              parts.audit,
              parts::trackSoon);
      log.info(
          "webhooks on port {} at {}://HOST:{}/hooks/APP/ENV{}",
          webhooks.port(),
          webhooks.scheme(),
          webhooks.port(),
          tls == null ? "" : " with the certificate in " + tls.webhookChainFile());
    }
    return new ControllerServer(lock, parts, server, health, endpoint, webhooks);
  }

  private static void warnInsecure(boolean webhooks) {
    log.warn(
        "INSECURE MODE (--insecure): plaintext, no authentication; anyone who reaches this port"
            + " can deploy to every host and read every host's plan and secrets{}",
        webhooks ? "; webhooks are served over plain HTTP" : "");
  }

  /** The gRPC port actually bound. */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** How many agents' polls are held right now. */
  public int heldPolls() {
    return parts.polls.heldCount();
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

  /**
   * Stops accepting calls, answers held polls, closes the store and releases the data dir.
   * Idempotent.
   */
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
    try {
      dataDirLock.close();
    } catch (IOException e) {
      log.warn("cannot release the data dir lock", e);
    }
  }
}
