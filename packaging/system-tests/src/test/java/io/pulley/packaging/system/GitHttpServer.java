package io.pulley.packaging.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves bare Git repositories over Git's "dumb" HTTP protocol (plain files), so that both the
 * controller on this machine and agents inside test servers fetch from one real network URL.
 * Read-only; only files below the root are served. Counts, per client address, the reads of a
 * repository's {@code info/refs} (one for each ls-remote or fetch), so that a test can wait for a
 * number of reads instead of a number of seconds.
 */
final class GitHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Path root;
  private final Map<String, AtomicInteger> refReads;

  private GitHttpServer(HttpServer server, Path root, Map<String, AtomicInteger> refReads) {
    this.server = server;
    this.root = root;
    this.refReads = refReads;
  }

  static GitHttpServer start(String address, Path root) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 64);
    Path base = root.toRealPath();
    Map<String, AtomicInteger> refReads = new ConcurrentHashMap<>();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/info/refs")) {
              String client = exchange.getRemoteAddress().getAddress().getHostAddress();
              refReads.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
            }
            Path file = base.resolve(path.substring(1)).normalize();
            if (!file.startsWith(base) || !Files.isRegularFile(file)) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    return new GitHttpServer(server, base, refReads);
  }

  /** How many times {@code clientAddress} has read a repository's refs so far. */
  int refReadsFrom(String clientAddress) {
    AtomicInteger reads = refReads.get(clientAddress);
    return reads == null ? 0 : reads.get();
  }

  /** The URL of the bare repository {@code name} below the root. */
  String url(String name) {
    InetSocketAddress bound = server.getAddress();
    return "http://" + bound.getHostString() + ":" + bound.getPort() + "/" + name;
  }

  /**
   * Writes the index files the dumb protocol reads ({@code info/refs}, {@code objects/info/packs});
   * call after every push.
   */
  void updateServerInfo(String name) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                List.of("git", "-C", root.resolve(name).toString(), "update-server-info"))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException("git update-server-info failed: " + output);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
