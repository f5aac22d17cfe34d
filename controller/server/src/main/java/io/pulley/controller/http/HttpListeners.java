package io.pulley.controller.http;

import com.sun.net.httpserver.HttpServer;
import io.pulley.wire.JdkHttpLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * Every HTTP listener of the controller (metrics, webhooks) is made here, bounded: a few threads, a
 * time limit for reading a request and writing an answer, a cap on headers and on open connections.
 * Without them one client sending a byte a second holds a thread for ever.
 *
 * <p>The JDK's server reads its limits ({@link JdkHttpLimits}) once per JVM, when its first
 * instance is made; {@link #create} applies them before making one. Thread-safe.
 */
public final class HttpListeners {
  private HttpListeners() {}

  /**
   * A server on {@code address}, not yet started, answering on {@code threads} threads named {@code
   * name}; requests beyond them wait in line, which the connection limit keeps short.
   */
  public static HttpServer create(InetSocketAddress address, int threads, String name)
      throws IOException {
    JdkHttpLimits.apply();
    HttpServer server = HttpServer.create(address, 64);
    server.setExecutor(
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread thread = new Thread(r, name);
              thread.setDaemon(true);
              return thread;
            }));
    return server;
  }
}
