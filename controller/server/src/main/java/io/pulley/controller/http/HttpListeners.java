package io.pulley.controller.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.pulley.wire.JdkHttpLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * Every HTTP listener of the controller (metrics, webhooks) is made here, bounded: a few threads, a
 * time limit for reading a request and writing an answer, a cap on headers and on open connections.
 * Without them one client sending a byte a second holds a thread for ever.
 *
 * <p>The JDK's server reads its limits ({@link JdkHttpLimits}) once per JVM, when its first
 * instance is made; {@link #create} and {@link #createHttps} apply them before making one.
 * Thread-safe.
 */
public final class HttpListeners {
  private static final int BACKLOG = 64;

  private HttpListeners() {}

  /**
   * A server on {@code address}, not yet started, answering on {@code threads} threads named {@code
   * name}; requests beyond them wait in line, which the connection limit keeps short.
   */
  public static HttpServer create(InetSocketAddress address, int threads, String name)
      throws IOException {
    JdkHttpLimits.apply();
    HttpServer server = HttpServer.create(address, BACKLOG);
    server.setExecutor(executor(threads, name));
    return server;
  }

  /**
   * As {@link #create}, over TLS 1.3 or 1.2 with {@code tls}'s certificate ({@link ModernTls}).
   *
   * <p>The handshake is bounded by the same request time limit: the JDK's server counts a
   * connection's request time from when it accepts it, and does the handshake on the handler thread
   * as part of reading the request, so a client that stalls in its ClientHello is cut off like one
   * that stalls in its headers. A client that sends nothing at all holds no thread (the server
   * waits for its first byte in its selector) and is closed as idle.
   */
  public static HttpsServer createHttps(
      InetSocketAddress address, int threads, String name, SSLContext tls) throws IOException {
    JdkHttpLimits.apply();
    HttpsServer server = HttpsServer.create(address, BACKLOG);
    server.setHttpsConfigurator(new ModernTls(tls));
    server.setExecutor(executor(threads, name));
    return server;
  }

  private static ExecutorService executor(int threads, String name) {
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread thread = new Thread(r, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
