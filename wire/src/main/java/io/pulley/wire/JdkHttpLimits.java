package io.pulley.wire;

import java.util.Map;

/**
 * The limits of the JDK's HTTP server ({@code com.sun.net.httpserver}), which serves metrics in
 * both daemons and webhooks in the controller. Without them one client sending a byte a second
 * holds a listener's thread for ever. The JDK reads them from system properties once per JVM, when
 * its first server is made: call {@link #apply} before making one. Thread-safe.
 */
public final class JdkHttpLimits {
  /**
   * Request head and body within 10 s and the answer within 10 s (a webhook is at most 1 MiB; a
   * scrape is answered from memory); idle keep-alive connections closed after 30 s; at most 64
   * headers of 16 KiB in all (real requests have about ten); at most 64 open connections per
   * listener (Prometheus and a Git host need a handful).
   */
  public static final Map<String, String> PROPERTIES =
      Map.of(
          "sun.net.httpserver.maxReqTime", "10",
          "sun.net.httpserver.maxRspTime", "10",
          "sun.net.httpserver.idleInterval", "30",
          "sun.net.httpserver.maxReqHeaders", "64",
          "sun.net.httpserver.maxReqHeaderSize", "16384",
          "jdk.httpserver.maxConnections", "64");

  private JdkHttpLimits() {}

  /** Sets each limit the operator has not set with {@code -D}; idempotent. */
  public static void apply() {
    PROPERTIES.forEach((key, value) -> System.getProperties().putIfAbsent(key, value));
  }
}
