package io.pulley.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulley.agent.config.HostPort;
import io.pulley.wire.JdkHttpLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in the Prometheus text format with the JDK's own HTTP server, so the
 * agent needs no web framework. Thread-safe.
 *
 * <p>Bounded, so that one slow client cannot hold it: two threads, and {@link JdkHttpLimits}, which
 * the JDK reads once per JVM, when its first server is made; {@link #start} applies them before
 * making one. It is the agent's only HTTP listener.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  public static MetricsServer start(String listen, PrometheusMeterRegistry registry)
      throws IOException {
    HostPort address = HostPort.parseListen(listen, "metrics listen address");
    JdkHttpLimits.apply();
    HttpServer server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, MetricsServer::daemon));
    server.createContext("/metrics", exchange -> serve(exchange, registry));
    server.start();
    return new MetricsServer(server);
  }

  /** The bound port (useful when the configured port was 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "metrics-http");
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
