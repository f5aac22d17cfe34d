package io.pulley.packaging.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Requests a site on a test server the way a browser would reach it by name: plain HTTP/1.0 to the
 * server's address with the site's Host header. A socket of our own because java.net.http refuses
 * to send a Host header of the caller's choosing.
 */
final class SiteClient {
  private static final int TIMEOUT_MILLIS = 30_000;

  private final String address;
  private final int port;
  private final String host;
  private final boolean tls;

  SiteClient(String address, int port, String host) {
    this(address, port, host, false);
  }

  private SiteClient(String address, int port, String host, boolean tls) {
    this.address = address;
    this.port = port;
    this.host = host;
    this.tls = tls;
  }

  /**
   * The same site over HTTPS on {@code tlsPort}, with the site's name as SNI. Any certificate is
   * accepted: test sites use self-signed ones, and what is checked is nginx's TLS setup, not a CA.
   */
  SiteClient overTls(int tlsPort) {
    return new SiteClient(address, tlsPort, host, true);
  }

  /** What the site answered. Header names are lower-case. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  Response get(String path) throws IOException {
    return request(path, "");
  }

  /** GET with HTTP basic authentication. */
  Response get(String path, String user, String password) throws IOException {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return request(path, "Authorization: Basic " + token + "\r\n");
  }

  /** GET with a Cookie header, as a browser sends its session cookie. */
  Response getWithCookie(String path, String cookie) throws IOException {
    return request(path, "Cookie: " + cookie + "\r\n");
  }

  /** POST of an HTML form's fields (application/x-www-form-urlencoded). */
  Response post(String path, Map<String, String> form) throws IOException {
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> field : form.entrySet()) {
      body.append(body.isEmpty() ? "" : "&")
          .append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.US_ASCII);
    return request(
        "POST",
        path,
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + bytes.length
            + "\r\n",
        bytes);
  }

  private Response request(String path, String extraHeaders) throws IOException {
    return request("GET", path, extraHeaders, new byte[0]);
  }

  private Response request(String method, String path, String extraHeaders, byte[] body)
      throws IOException {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), TIMEOUT_MILLIS);
      plain.setSoTimeout(TIMEOUT_MILLIS);
      Socket socket = tls ? TrustingTls.wrap(plain, host, port) : plain;
      OutputStream out = socket.getOutputStream();
      String request =
          method + " " + path + " HTTP/1.0\r\nHost: " + host + "\r\n" + extraHeaders + "\r\n";
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return parse(readAll(socket.getInputStream()));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toByteArray();
  }

  private static Response parse(byte[] raw) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException(
          "not an HTTP response: " + text.substring(0, Math.min(200, text.length())));
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    String body = new String(raw, end + 4, raw.length - end - 4, StandardCharsets.UTF_8);
    return new Response(status, headers, body);
  }
}
