package io.pulley.agent.apply.handover;

import com.google.re2j.Pattern;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link SocketProbe} that speaks the uwsgi protocol, as nginx's {@code uwsgi_pass} does: one
 * packet of CGI variables, then the application's raw HTTP response until the socket closes. The
 * request is answered by the instance that owns the socket, whatever nginx points at. Stateless and
 * thread-safe.
 */
public final class UwsgiProbe implements SocketProbe {
  private static final Pattern SPACE = Pattern.compile(" ");
  private static final Pattern STATUS_CODE = Pattern.compile("\\d{3}");

  @Override
  public Answer get(Path socket, String host, String path) {
    try {
      return parse(UnixSockets.exchange(socket, packet(host, path)));
    } catch (IOException e) {
      String message = e.getMessage() == null ? "" : ": " + e.getMessage();
      return Answer.failed(e.getClass().getSimpleName() + message);
    }
  }

  /** A uwsgi packet (modifier 0: a WSGI request) carrying a GET of {@code path}. */
  static byte[] packet(String host, String path) {
    Map<String, String> vars = new LinkedHashMap<>();
    int query = path.indexOf('?');
    vars.put("REQUEST_METHOD", "GET");
    vars.put("REQUEST_URI", path);
    vars.put("PATH_INFO", query < 0 ? path : path.substring(0, query));
    vars.put("QUERY_STRING", query < 0 ? "" : path.substring(query + 1));
    vars.put("SERVER_PROTOCOL", "HTTP/1.1");
    vars.put("SERVER_NAME", host);
    vars.put("SERVER_PORT", "80");
    vars.put("REMOTE_ADDR", "127.0.0.1");
    vars.put("HTTP_HOST", host);
    vars.put("HTTP_USER_AGENT", "pulley-agent handover");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> var : vars.entrySet()) {
      writeString(body, var.getKey());
      writeString(body, var.getValue());
    }
    if (body.size() > 0xffff) {
      throw new IllegalArgumentException("request variables exceed 64 KiB");
    }
    ByteBuffer packet = ByteBuffer.allocate(4 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
    packet.put((byte) 0).putShort((short) body.size()).put((byte) 0).put(body.toByteArray());
    return packet.array();
  }

  /** The status of an HTTP response's first line, and its body's start. */
  static Answer parse(byte[] response) {
    String text = new String(response, StandardCharsets.ISO_8859_1);
    int lineEnd = text.indexOf("\r\n");
    String first = lineEnd < 0 ? text : text.substring(0, lineEnd);
    String[] parts = SPACE.split(first, 3);
    if (parts.length < 2
        || !parts[0].startsWith("HTTP/")
        || !STATUS_CODE.matcher(parts[1]).matches()) {
      return Answer.failed(
          response.length == 0 ? "the socket closed without an answer" : "not HTTP: " + first);
    }
    int headersEnd = text.indexOf("\r\n\r\n");
    String body =
        headersEnd < 0
            ? ""
            : new String(
                response, headersEnd + 4, response.length - headersEnd - 4, StandardCharsets.UTF_8);
    return new Answer(Integer.parseInt(parts[1]), body, "");
  }

  private static void writeString(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length & 0xff);
    out.write((bytes.length >> 8) & 0xff);
    out.write(bytes, 0, bytes.length);
  }
}
