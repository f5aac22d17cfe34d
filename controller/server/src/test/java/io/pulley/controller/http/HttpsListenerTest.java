package io.pulley.controller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsServer;
import io.pulley.trust.TrustManagers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener over real TLS: TLS 1.3 or 1.2 with the given certificate, nothing older, no
 * client certificate asked for, plain HTTP refused, and a client that stalls in its handshake cut
 * off like one that stalls in its headers. The durations only guard against a hang.
 */
class HttpsListenerTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);
  private static final int THREADS = 2;

  @TempDir Path temp;
  private LocalTls tls;
  private HttpsServer server;

  @BeforeEach
  void start() throws Exception {
    tls = LocalTls.issue(temp.resolve("tls"));
    server =
        HttpListeners.createHttps(
            new InetSocketAddress("127.0.0.1", 0), THREADS, "test-https", tls.server());
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aClientTrustingTheCa_isServed_overTls13_byDefault() throws Exception {
    HttpResponse<String> response = get(LocalTls.client(tls.ca().certificate()));

    assertThat(response.body()).isEqualTo("ok");
    assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
        .isEqualTo(tls.certificate());
  }

  @Test
  void aTls12Client_isServed() throws Exception {
    HttpResponse<String> response = get(LocalTls.client(tls.ca().certificate(), "TLSv1.2"));

    assertThat(response.body()).isEqualTo("ok");
    assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
  }

  @Test
  void aTls11ClientHello_isAnsweredWithAnAlert_notAServerHello() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout((int) GENEROUS.toMillis());
      socket.getOutputStream().write(RawHandshakes.tls11ClientHello());
      socket.getOutputStream().flush();

      int contentType = socket.getInputStream().read();

      // 0x15 is an alert record, 0x16 would be the ServerHello; a bare close refuses too.
      assertThat(contentType).isIn(-1, 0x15);
    }
  }

  @Test
  void theSameClientHelloAsTls12_isAnsweredWithAServerHello() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout((int) GENEROUS.toMillis());
      socket.getOutputStream().write(RawHandshakes.tls12ClientHello());
      socket.getOutputStream().flush();

      assertThat(socket.getInputStream().read()).isEqualTo(0x16);
    }
  }

  @Test
  void noClientCertificateIsAskedFor() throws Exception {
    AtomicBoolean asked = new AtomicBoolean();
    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          new KeyManager[] {new AskedForACertificate(asked)},
          new TrustManager[] {TrustManagers.forCa(tls.ca().certificate())},
          null);
      try (SSLSocket socket =
          (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port())) {
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
      }
    }
    assertThat(asked).as("the server sent a CertificateRequest").isFalse();
  }

  @Test
  void plainHttp_isRefused() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/"))
            .timeout(GENEROUS)
            .build();

    assertThatThrownBy(
            () -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aClientTrustingAnotherCa_refusesTheCertificate() throws Exception {
    LocalTls other = LocalTls.issue(temp.resolve("other"));

    assertThatThrownBy(() -> get(LocalTls.client(other.ca().certificate())))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void stalledAndGarbageHandshakes_asManyAsThreads_doNotKeepAProperRequestWaiting()
      throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try (Socket silent = new Socket("127.0.0.1", port());
        Socket garbage = new Socket("127.0.0.1", port())) {
      for (int i = 0; i < THREADS; i++) {
        stalled.add(RawHandshakes.stalledClientHello(port()));
      }
      garbage.getOutputStream().write(new byte[] {0x16, 0x03, 0x03, 0x00, 0x05, 9, 9, 9, 9, 9});
      Thread.sleep(2000); // the stalled handshakes hold both threads by now

      // Both threads are held until the request time limit cuts the stalled handshakes off.
      HttpResponse<String> proper = get(LocalTls.client(tls.ca().certificate()));

      assertThat(proper.body()).isEqualTo("ok");
      assertThat(disconnected(garbage)).as("garbage").isTrue();
      for (Socket socket : stalled) {
        assertThat(disconnected(socket)).as("stalled").isTrue();
      }
      assertThat(disconnected(silent)).as("silent").isTrue();
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
  }

  /** True once the server closes (an alert may come first); false only after {@link #GENEROUS}. */
  private static boolean disconnected(Socket socket) {
    try {
      socket.setSoTimeout((int) GENEROUS.toMillis());
      InputStream in = socket.getInputStream();
      while (in.read() != -1) {
        // An alert before the close: read on.
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private HttpResponse<String> get(HttpClient client) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port() + "/"))
            .timeout(GENEROUS)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private int port() {
    return server.getAddress().getPort();
  }
}
