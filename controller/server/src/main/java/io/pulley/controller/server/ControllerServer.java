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
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.GitRefResolver;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RemoteRefs;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.metrics.MetricsEndpoint;
import io.pulley.controller.poll.HostPlans;
import io.pulley.controller.poll.PollHub;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.rollout.AuditTrail;
import io.pulley.controller.rollout.RegistryFleet;
import io.pulley.controller.rollout.Rollouts;
import io.pulley.controller.secrets.SecretKeeper;
import io.pulley.controller.store.SqliteStore;
import io.pulley.controller.store.Store;
import io.pulley.controller.tracking.Tracker;
import io.pulley.controller.tracking.WebhookEndpoint;
import io.pulley.v1.AdminServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: the store, the services over gRPC, and the metrics and webhook endpoints.
 */
public final class ControllerServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerServer.class);

  private final Store store;
  private final HostRegistry hosts;
  private final PollHub pollHub;
  private final Server server;
  private final HealthStatusManager health;
  private final ScheduledExecutorService timer;
  private final ExecutorService fanOut;
  private final MetricsEndpoint metricsEndpoint;
  private final WebhookEndpoint webhookEndpoint;

  private ControllerServer(
      Store store,
      HostRegistry hosts,
      PollHub pollHub,
      Server server,
      HealthStatusManager health,
      ScheduledExecutorService timer,
      ExecutorService fanOut,
      MetricsEndpoint metricsEndpoint,
      WebhookEndpoint webhookEndpoint) {
    this.store = store;
    this.hosts = hosts;
    this.pollHub = pollHub;
    this.server = server;
    this.health = health;
    this.timer = timer;
    this.fanOut = fanOut;
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

    Store store = SqliteStore.open(config.dataDir());
    HostRegistry hosts = new HostRegistry(store, clock);
    RevisionLog revisions =
        new RevisionLog(
            store,
            new ManifestCompiler(resolver),
            new SecretKeeper(store, new SecureRandom(), clock),
            clock,
            metrics);
    AuditTrail audit = new AuditTrail(store, clock, metrics);
    Rollouts rollouts =
        new Rollouts(
            store,
            hosts,
            new RegistryFleet(hosts, clock, config.pollHold().multipliedBy(3)),
            audit,
            clock,
            revisions::get);
    Tracker tracker =
        new Tracker(
            revisions,
            resolver instanceof RemoteRefs remotes ? remotes : new JGitRefResolver(),
            store,
            audit,
            clock,
            new Random());
    revisions.onStored(
        (revision, previous) -> {
          rollouts.revisionStored(revision, previous);
          tracker.revisionStored(revision, previous);
        });
    rollouts.onHalt(tracker::halted);
    HostPlans plans = new HostPlans(hosts, revisions, rollouts);
    ScheduledExecutorService timer =
        // Two threads: reading a Git remote for tracking may take seconds, and poll timeouts,
        // host writes and rollout steps must not wait for it.
        Executors.newScheduledThreadPool(2, r -> daemon(r, "controller-timer"));
    ExecutorService fanOut = Executors.newFixedThreadPool(2, r -> daemon(r, "poll-fanout"));
    PollHub pollHub =
        new PollHub(
            plans::planFor,
            hosts,
            timer,
            fanOut,
            new PollHub.HoldTime(config.pollHold(), config.pollHoldJitter(), new Random()),
            metrics);
    revisions.onChange(pollHub::plansChanged);
    rollouts.onPinsMoved(pollHub::plansChanged);
    timer.scheduleWithFixedDelay(() -> flushHosts(hosts), 1, 1, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(() -> tickRollouts(rollouts), 1, 1, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(() -> track(tracker), 1, 1, TimeUnit.SECONDS);

    HealthStatusManager health = new HealthStatusManager();
    Server server =
        NettyServerBuilder.forAddress(config.listen())
            // Agents ping to keep their held poll alive through NAT and proxies.
            .permitKeepAliveTime(20, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .maxConnectionIdle(10, TimeUnit.MINUTES)
            .addService(
                ServerInterceptors.intercept(
                    new AdminGrpcService(
                        revisions, hosts, plans, pollHub, new RolloutCalls(rollouts, audit)),
                    new UnexpectedErrors(),
                    Actor.interceptor()))
            .addService(
                ServerInterceptors.intercept(
                    new AgentGrpcService(pollHub, hosts, metrics), new UnexpectedErrors()))
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      store.close();
      timer.shutdownNow();
      fanOut.shutdownNow();
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
              revisions,
              store,
              tracker,
              audit,
              () -> timer.execute(() -> track(tracker)));
      log.info("webhooks on port {} at /hooks/APP/ENV", webhooks.port());
    }
    return new ControllerServer(
        store, hosts, pollHub, server, health, timer, fanOut, endpoint, webhooks);
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
    pollHub.close();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
    fanOut.shutdownNow();
    flushHosts(hosts);
    if (webhookEndpoint != null) {
      webhookEndpoint.close();
    }
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    store.close();
  }

  private static void flushHosts(HostRegistry hosts) {
    try {
      hosts.flush();
    } catch (RuntimeException e) {
      // A failed flush is retried a second later; the hosts stay marked.
      log.warn("writing host records failed: {}", e.toString());
    }
  }

  private static void track(Tracker tracker) {
    try {
      tracker.tick();
    } catch (RuntimeException e) {
      log.warn("tracking Git remotes failed: {}", e.toString());
    }
  }

  private static void tickRollouts(Rollouts rollouts) {
    try {
      rollouts.tick();
    } catch (RuntimeException e) {
      // The next tick, a second later, tries again from the stored state.
      log.warn("moving rollouts on failed: {}", e.toString());
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
