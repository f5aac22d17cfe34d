package io.pulley.agent;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioChannelOption;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.pulley.wire.WireLimits;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;

/**
 * Makes the agent's channels to the controller, all served by one network thread: the agent holds
 * one call at a time, and gRPC's default would start an event loop per core (and its executor's
 * threads) that then idle beside it. A renewed channel (new certificate) reuses the same thread.
 * Thread-safe; {@link #close} ends the thread once the channels are shut down.
 */
final class ControllerChannels implements AutoCloseable {
  /** Named so that a per-thread CPU listing shows which thread is the network. */
  static final String THREAD_NAME = "pulley-agent-net";

  static final int PROBE_IDLE_SECONDS = 50;
  static final int PROBE_INTERVAL_SECONDS = 10;
  static final int PROBES = 3;

  private final EventLoopGroup loop =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory(THREAD_NAME, true), NioIoHandler.newFactory());

  /**
   * A held poll lasts minutes (docs/agent.md, "At rest"). A connection that dies silently under it
   * (a pulled cable, a firewall dropping its state) is found by the kernel's TCP keep-alive: a
   * probe after {@link #PROBE_IDLE_SECONDS} without traffic, then every {@link
   * #PROBE_INTERVAL_SECONDS}, and the connection reset after {@link #PROBES} unanswered, so within
   * 80 s, as docs/agent.md says. The kernel sends and answers the probes: the JVM does not wake for
   * them, where an HTTP/2 ping wakes the network thread as a poll does. gRPC's own ping stays as
   * the backstop for a controller whose kernel answers while the process is stuck in a call that is
   * not a poll (a poll has its deadline). Calls run on the network thread (a direct executor): the
   * agent's calls are blocking ones, whose answers are handed to the calling thread anyway.
   */
  ManagedChannel open(String target, ChannelCredentials credentials) {
    return NettyChannelBuilder.forTarget(target, credentials)
        .eventLoopGroup(loop)
        .channelType(NioSocketChannel.class)
        .directExecutor()
        .withOption(ChannelOption.SO_KEEPALIVE, true)
        .withOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), PROBE_IDLE_SECONDS)
        .withOption(
            NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), PROBE_INTERVAL_SECONDS)
        .withOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), PROBES)
        .keepAliveTime(5, TimeUnit.MINUTES)
        .keepAliveTimeout(20, TimeUnit.SECONDS)
        .maxInboundMessageSize(WireLimits.MAX_CLIENT_INBOUND_BYTES)
        .build();
  }

  @Override
  public void close() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
