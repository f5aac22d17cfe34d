package io.pulley.agent.apply.handover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UwsgiProbeTest {
  @TempDir Path dir;

  @Test
  void packet_isAUwsgiHeaderAndLengthPrefixedVariables() {
    Map<String, String> vars = decode(UwsgiProbe.packet("shop.example", "/health?deep=1"));

    assertThat(vars)
        .containsEntry("REQUEST_METHOD", "GET")
        .containsEntry("REQUEST_URI", "/health?deep=1")
        .containsEntry("PATH_INFO", "/health")
        .containsEntry("QUERY_STRING", "deep=1")
        .containsEntry("HTTP_HOST", "shop.example")
        .containsEntry("SERVER_PROTOCOL", "HTTP/1.1");
  }

  @Test
  void parse_readsStatusAndBody_andRefusesWhatIsNotHttp() {
    SocketProbe.Answer ok =
        UwsgiProbe.parse(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\ndatabase down"
                .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(ok.status()).isEqualTo(503);
    assertThat(ok.body()).isEqualTo("database down");
    assertThat(UwsgiProbe.parse(new byte[0]).error())
        .isEqualTo("the socket closed without an answer");
    assertThat(UwsgiProbe.parse("hello".getBytes(StandardCharsets.UTF_8)).error())
        .isEqualTo("not HTTP: hello");
  }

  @Test
  void get_asksTheInstanceOnItsSocket_asNginxWould() throws Exception {
    Path socket = dir.resolve("a.sock");
    AtomicReference<Map<String, String>> seen = new AtomicReference<>();
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread app =
          new Thread(
              () -> {
                try (SocketChannel client = server.accept()) {
                  ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                  readFully(client, header);
                  ByteBuffer body = ByteBuffer.allocate(header.getShort(1) & 0xffff);
                  readFully(client, body);
                  byte[] packet = new byte[4 + body.capacity()];
                  System.arraycopy(header.array(), 0, packet, 0, 4);
                  System.arraycopy(body.array(), 0, packet, 4, body.capacity());
                  seen.set(decode(packet));
                  client.write(
                      ByteBuffer.wrap(
                          "HTTP/1.1 200 OK\r\nX-Version: 2.0.0\r\n\r\nok"
                              .getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      app.start();

      SocketProbe.Answer answer = new UwsgiProbe().get(socket, "shop.example", "/health");
      app.join(5000);

      assertThat(answer).isEqualTo(new SocketProbe.Answer(200, "ok", ""));
      assertThat(seen.get()).containsEntry("PATH_INFO", "/health");
    }
  }

  @Test
  void get_withoutAnInstance_saysWhy() {
    SocketProbe.Answer answer = new UwsgiProbe().get(dir.resolve("none.sock"), "a", "/");

    assertThat(answer.status()).isZero();
    assertThat(answer.error()).isNotEmpty();
  }

  private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("closed early");
      }
    }
  }

  /** The variables of a uwsgi packet, checking its header on the way. */
  static Map<String, String> decode(byte[] packet) {
    ByteBuffer in = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(in.get()).as("modifier1").isZero();
    int size = in.getShort() & 0xffff;
    assertThat(in.get()).as("modifier2").isZero();
    assertThat(size).isEqualTo(packet.length - 4);
    Map<String, String> vars = new LinkedHashMap<>();
    while (in.hasRemaining()) {
      vars.put(string(in), string(in));
    }
    return vars;
  }

  private static String string(ByteBuffer in) {
    byte[] bytes = new byte[in.getShort() & 0xffff];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
