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
   * Keep-alive pings every 5 minutes match the server's default minimum, so the controller never
   * answers with "too many pings"; a dead connection under a held poll is found sooner by the
   * poll's own deadline (docs/agent.md). Calls run on the network thread (a direct executor): the
   * agent's calls are blocking ones, whose answers are handed to the calling thread anyway.
   */
  ManagedChannel open(String target, ChannelCredentials credentials) {
    return NettyChannelBuilder.forTarget(target, credentials)
        .eventLoopGroup(loop)
        .channelType(NioSocketChannel.class)
        .directExecutor()
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
