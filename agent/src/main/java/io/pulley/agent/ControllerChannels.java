package io.pulley.agent;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.pulley.wire.WireLimits;
import java.util.concurrent.TimeUnit;

/**
 * Makes the agent's channels to the controller, all served by one network thread: the agent holds
 * one call at a time, and gRPC's default would start an event loop per core (and its executor's
 * threads) that then idle beside it. A renewed channel (new certificate) reuses the same thread.
 * Thread-safe; {@link #close} ends the thread once the channels are shut down.
 */
final class ControllerChannels implements AutoCloseable {
  /** Named so that a per-thread CPU listing shows which thread is the network. */
  static final String THREAD_NAME = "pulley-agent-net";

  private final EventLoopGroup loop =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory(THREAD_NAME, true), NioIoHandler.newFactory());

  /**
   * A held poll lasts minutes (docs/agent.md, "At rest"), so a connection that dies silently under
   * it is found by a keep-alive ping a minute after the last frame read, answered within 20 s or
   * the connection is closed: far cheaper than a poll a minute. The controller allows pings every
   * 20 s. Calls run on the network thread (a direct executor): the agent's calls are blocking ones,
   * whose answers are handed to the calling thread anyway.
   */
  ManagedChannel open(String target, ChannelCredentials credentials) {
    return NettyChannelBuilder.forTarget(target, credentials)
        .eventLoopGroup(loop)
        .channelType(NioSocketChannel.class)
        .directExecutor()
        .keepAliveTime(1, TimeUnit.MINUTES)
        .keepAliveTimeout(20, TimeUnit.SECONDS)
        .maxInboundMessageSize(WireLimits.MAX_CLIENT_INBOUND_BYTES)
        .build();
  }

  @Override
  public void close() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
