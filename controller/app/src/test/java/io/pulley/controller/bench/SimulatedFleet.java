package io.pulley.controller.bench;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.pulley.v1.HostFacts;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N simulated agents, each with its own connection (over mTLS, with its own host's certificate),
 * sharing two event-loop threads and two callback threads so that 10,000 of them fit in one small
 * process. Not thread-safe: one thread starts and closes it; the agents themselves run on its
 * threads.
 */
final class SimulatedFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedFleet.class);
  private static final int IO_THREADS = 2;
  private static final int CALLBACK_THREADS = 2;
  private static final long CLOSE_TIMEOUT_SECONDS = 20;

  /** Enough for a short outage in tests: with the agent's back-off, 5 failures span ~8 s. */
  static final int TEST_PATIENCE = 5;

  /**
   * A real agent never gives up; 50 failures in a row with its back-off span over 20 minutes, far
   * beyond any wait of the benchmark, so an agent that gives up is an anomaly worth a look.
   */
  static final int RESTART_PATIENCE = 50;

  private final InetSocketAddress controller;
  private final int size;
  private final String application;
  private final IntFunction<ChannelCredentials> credentials;
  private final int patience;
  private final FleetProgress progress;
  private final Random random;
  private final EventLoopGroup eventLoop;
  private final ExecutorService callbacks;
  private final ScheduledExecutorService scheduler;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<SimulatedAgent> agents = new ArrayList<>();

  /** Plaintext agents that give up after {@link #TEST_PATIENCE} failures in a row. */
  SimulatedFleet(InetSocketAddress controller, int size, String application, long seed) {
    this(
        controller,
        size,
        application,
        seed,
        agent -> InsecureChannelCredentials.create(),
        TEST_PATIENCE);
  }

  /**
   * @param credentials the channel credentials of the agent with each index (0-based)
   * @param patience failed polls in a row after which an agent gives up
   */
  SimulatedFleet(
      InetSocketAddress controller,
      int size,
      String application,
      long seed,
      IntFunction<ChannelCredentials> credentials,
      int patience) {
    this.controller = controller;
    this.size = size;
    this.application = application;
    this.credentials = credentials;
    this.patience = patience;
    this.progress = new FleetProgress(size);
    this.random = new Random(seed);
    this.eventLoop =
        new MultiThreadIoEventLoopGroup(
            IO_THREADS, new DefaultThreadFactory("bench-io", true), NioIoHandler.newFactory());
    this.callbacks =
        Executors.newFixedThreadPool(CALLBACK_THREADS, new DefaultThreadFactory("bench-cb", true));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("bench-ramp", true));
  }

  int size() {
    return size;
  }

  FleetProgress progress() {
    return progress;
  }

  /**
   * Schedules the agents' first polls evenly at {@code perSecond}: connecting them all at once
   * would overflow the controller's accept queue. Returns at once.
   */
  void startRamped(int perSecond) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("ramp must be positive: " + perSecond);
    }
    if (!agents.isEmpty()) {
      throw new IllegalStateException("fleet already started");
    }
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    for (int i = 0; i < size; i++) {
      ManagedChannel channel = newChannel(credentials.apply(i));
      channels.add(channel);
      SimulatedAgent agent =
          new SimulatedAgent(
              i,
              facts(i + 1),
              application,
              channel,
              progress,
              scheduler,
              new SimulatedAgent.Backoff(new Random(random.nextLong())),
              patience);
      agents.add(agent);
      scheduler.schedule(agent::start, i * intervalNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    agents.forEach(SimulatedAgent::stop);
    scheduler.shutdownNow();
    channels.forEach(ManagedChannel::shutdownNow);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
    try {
      for (ManagedChannel channel : channels) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          LOG.warn("event=fleet_close_timeout channels={}", channels.size());
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    callbacks.shutdownNow();
  }

  private ManagedChannel newChannel(ChannelCredentials agentCredentials) {
    // A socket address (not a host name) skips name resolution for every one of N channels.
    return NettyChannelBuilder.forAddress(controller, agentCredentials)
        .eventLoopGroup(eventLoop)
        .channelType(NioSocketChannel.class)
        .executor(callbacks)
        .offloadExecutor(callbacks)
        .disableRetry()
        .build();
  }

  private static HostFacts facts(int number) {
    return HostFacts.newBuilder()
        .setHostname(SimulatedAgent.hostId(number))
        .setOsId("debian")
        .setOsVersion("12")
        .setKernel("6.1.0-bench")
        .setArch("amd64")
        .setCpuCount(2)
        .setMemoryBytes(2L << 30)
        .putLabels(BenchAccess.LABEL, BenchAccess.LABEL_VALUE)
        .setAgentVersion("bench")
        .build();
  }
}
