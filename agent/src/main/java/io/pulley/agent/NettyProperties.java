package io.pulley.agent;

/**
 * System properties that keep gRPC's netty small in an agent that holds one call at a time. They
 * are read once, when netty's classes load, so {@link #set} runs first thing in {@code main}.
 */
final class NettyProperties {
  /** gRPC shades netty, and its property names with it. */
  static final String PREFIX = "io.grpc.netty.shaded.io.netty.";

  static final String ALLOCATOR = PREFIX + "allocator.type";
  static final String NO_OPENSSL = PREFIX + "handler.ssl.noOpenSsl";

  private NettyProperties() {}

  static void set() {
    // Netty would load the JDK's flight recorder (about 100 classes) for events nobody records.
    System.setProperty(PREFIX + "jfr.enabled", "false");
    // A few small messages a minute need no buffer pool: the pooled allocator's arenas and thread
    // caches cost about 1.5 MB resident and 90 classes for good (docs/benchmarks.md). gRPC's own
    // allocator follows this property too. A value given with -D is kept.
    setUnlessGiven(ALLOCATOR, "unpooled");
    // The agent's channels use the JDK's sockets (NIO); gRPC would still load netty's epoll
    // library, unpacking it to /tmp, only to ask whether it could: about 45 classes more.
    System.setProperty(PREFIX + "transport.noNative", "true");
    // TLS through the JDK, not the BoringSSL that gRPC bundles: the JDK's TLS classes load anyway
    // (the trust manager is the JDK's), and BoringSSL adds its library, unpacked to /tmp, and about
    // 100 classes: 1.1 MB resident for good (docs/benchmarks.md). The agent makes one connection,
    // so the JDK's slower handshake costs once. A value given with -D is kept.
    setUnlessGiven(NO_OPENSSL, "true");
  }

  /** A value the operator gave with -D wins over the agent's. */
  private static void setUnlessGiven(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }
}
