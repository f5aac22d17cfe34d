package io.pulley.agent.apply.handover;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One exchange on a Unix socket: send, then read until the peer closes. Stateless. */
final class UnixSockets {
  static final int RESPONSE_LIMIT = 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private UnixSockets() {}

  /** Sends {@code request} (possibly empty) to {@code socket} and returns what comes back. */
  static byte[] exchange(Path socket, byte[] request) throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      // A hung peer must not hang the apply: closing the channel ends a blocked read.
      CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> closeQuietly(channel));
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) {
        channel.write(out);
      }
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (in.size() < RESPONSE_LIMIT && channel.read(buffer) >= 0) {
        in.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return in.toByteArray();
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Already closed: the exchange finished in time.
    }
  }
}
