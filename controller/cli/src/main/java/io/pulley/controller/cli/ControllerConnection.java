package io.pulley.controller.cli;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.wire.WireLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/** One CLI invocation's channel to the controller. */
final class ControllerConnection implements AutoCloseable {
  /** Applies resolve Git refs on the controller, which may take a while on a slow remote. */
  private static final long DEADLINE_SECONDS = 60;

  /** Who runs the CLI, as admin_service.proto says a client tells the controller. */
  private static final Metadata.Key<String> ACTOR =
      Metadata.Key.of("pulley-actor", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;

  ControllerConnection(String address) {
    this.channel =
        NettyChannelBuilder.forTarget(address)
            .usePlaintext()
            .maxInboundMessageSize(WireLimits.MAX_CLIENT_INBOUND_BYTES)
            .build();
  }

  AdminServiceGrpc.AdminServiceBlockingStub admin() {
    Metadata headers = new Metadata();
    headers.put(ACTOR, actor());
    return AdminServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** "user@host", as recorded in revisions (unauthenticated until admin credentials exist). */
  private static String actor() {
    String user = System.getProperty("user.name", "unknown");
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    StringBuilder printable = new StringBuilder();
    for (char c : (user + "@" + host).toCharArray()) {
      printable.append(c > 0x20 && c < 0x7f ? c : '?');
    }
    return printable.toString();
  }
}
