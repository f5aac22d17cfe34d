package io.pulley.agent;

import io.grpc.Channel;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulley.agent.apply.forked.ApplyJvm;
import io.pulley.agent.apply.forked.ForkedApplier;
import io.pulley.agent.config.AgentConfig;
import io.pulley.agent.config.HostPort;
import io.pulley.agent.facts.HostFactsCollector;
import io.pulley.agent.metrics.AgentMetrics;
import io.pulley.agent.metrics.MetricsServer;
import io.pulley.agent.poll.Backoff;
import io.pulley.agent.poll.ControllerClient;
import io.pulley.agent.poll.LoggingConnectionListener;
import io.pulley.agent.poll.PollLoop;
import io.pulley.agent.poll.WakeableSleeper;
import io.pulley.agent.state.DataDirLock;
import io.pulley.agent.state.StateStore;
import io.pulley.v1.lite.ApplyReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: holds the data dir lock, runs the poll loop on its own daemon thread and
 * optionally serves metrics. The caller owns the channel. {@link #start} and {@link #close} are
 * called once each, from one thread; {@link #lastReport} and {@link #meterRegistry} from any.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  /** {@code --once} asks not to be held; against a controller that holds anyway, this ends it. */
  static final Duration ONCE_DEADLINE = Duration.ofSeconds(10);

  private final AgentConfig config;
  private final Channel channel;
  private final Clock clock;
  private final PollLoop.Settings settings;
  private final AgentMetrics metrics;
  private DataDirLock lock;
  private volatile PollLoop loop;
  private Thread thread;
  private MetricsServer metricsServer;

  public Agent(AgentConfig config, Channel channel, Clock clock) {
    this(config, channel, clock, defaultSettings(config, new Random()));
  }

  Agent(AgentConfig config, Channel channel, Clock clock, PollLoop.Settings settings) {
    this.config = config;
    this.channel = channel;
    this.clock = clock;
    this.settings = settings;
    this.metrics = AgentMetrics.forListen(config.metricsListen());
  }

  static PollLoop.Settings defaultSettings(AgentConfig config, Random random) {
    return new PollLoop.Settings(
        config.pollHold(),
        ONCE_DEADLINE,
        Backoff.standard(random),
        new WakeableSleeper(),
        new LoggingConnectionListener(config.controller()),
        config.reconvergeInterval());
  }

  /**
   * Takes the data dir lock and starts polling.
   *
   * @throws IllegalStateException if another agent uses the data dir, or if already started
   * @throws UncheckedIOException if the data dir or the metrics address cannot be used
   */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("agent already started");
    }
    try {
      open();
      Optional<PrometheusMeterRegistry> registry = metrics.registry();
      if (registry.isPresent()) {
        metricsServer = MetricsServer.start(config.metricsListen(), registry.get());
        log.info(
            "serving metrics on http://{}:{}/metrics",
            HostPort.parse(config.metricsListen(), "metrics_listen").host(),
            metricsServer.port());
      }
    } catch (IOException e) {
      releaseLock();
      throw new UncheckedIOException("cannot start the agent: " + e.getMessage(), e);
    }
    thread = new Thread(loop::run, "pulley-agent-poll");
    thread.setDaemon(true);
    thread.start();
    log.info("agent {} started; controller {}", config.hostId(), config.controller());
  }

  /** One poll-apply-report round, on the calling thread (for {@code --once}). */
  public synchronized PollLoop.OnceResult runOnce() throws IOException {
    open();
    try {
      return loop.runOnce();
    } finally {
      releaseLock();
    }
  }

  /** Stops the loop: cancels a held poll, lets the current resource finish, waits for the end. */
  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.stop();
    }
    if (thread != null) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    releaseLock();
  }

  public Optional<ApplyReport> lastReport() {
    PollLoop current = loop;
    return current == null ? Optional.empty() : current.lastReport();
  }

  /** The served meters; empty without {@code metrics_listen}, when none are kept. */
  public Optional<PrometheusMeterRegistry> meterRegistry() {
    return metrics.registry();
  }

  private void open() throws IOException {
    lock = DataDirLock.acquire(config.dataDir());
    StateStore store = new StateStore(config.dataDir());
    loop =
        new PollLoop(
            config.hostId(),
            config.labels(),
            new ControllerClient(channel),
            store,
            new ForkedApplier(
                ApplyJvm.likeThisJvm(System.getenv()),
                config.allowedRoots(),
                config.dataDir(),
                config.controller(),
                clock),
            new HostFactsCollector(),
            metrics,
            clock,
            settings);
  }

  private void releaseLock() {
    if (lock == null) {
      return;
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.warn("cannot release the data dir lock: {}", e.getMessage());
    }
    lock = null;
  }
}
