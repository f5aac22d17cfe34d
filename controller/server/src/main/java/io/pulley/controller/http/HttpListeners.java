package io.pulley.controller.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Every HTTP listener of the controller (metrics, webhooks) is made here, bounded: a few threads, a
 * time limit for reading a request and writing an answer, a cap on headers and on open connections.
 * Without them one client sending a byte a second holds a thread for ever.
 *
 * <p>The JDK's server reads its limits from system properties once, when its first instance is
 * made; {@link #create} sets any the operator did not set before making one. Thread-safe.
 */
public final class HttpListeners {
  /**
   * The JDK server's limits: request head and body within 10 s and the answer within 10 s (a
   * webhook is at most 1 MiB; a scrape is answered from memory), idle keep-alive connections closed
   * after 30 s, at most 64 headers of 16 KiB in all (real requests have about ten), and at most 64
   * open connections per listener (Prometheus and a Git host need a handful).
   */
  static final Map<String, String> JDK_LIMITS =
      Map.of(
          "sun.net.httpserver.maxReqTime", "10",
          "sun.net.httpserver.maxRspTime", "10",
          "sun.net.httpserver.idleInterval", "30",
          "sun.net.httpserver.maxReqHeaders", "64",
          "sun.net.httpserver.maxReqHeaderSize", "16384",
          "jdk.httpserver.maxConnections", "64");

  private HttpListeners() {}

  /**
   * A server on {@code address}, not yet started, answering on {@code threads} threads named {@code
   * name}; requests beyond them wait in line, which the connection limit keeps short.
   */
  public static HttpServer create(InetSocketAddress address, int threads, String name)
      throws IOException {
    applyJdkLimits();
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

  /** Sets each limit the operator has not set with {@code -D}; idempotent. */
  static void applyJdkLimits() {
    JDK_LIMITS.forEach((key, value) -> System.getProperties().putIfAbsent(key, value));
  }
}
