package io.pulley.packaging.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Serves bare Git repositories over Git's "dumb" HTTP protocol (plain files), so that both the
 * controller on this machine and agents inside test servers fetch from one real network URL.
 * Read-only; only files below the root are served.
 */
final class GitHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final Path root;

  private GitHttpServer(HttpServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  static GitHttpServer start(String address, Path root) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 64);
    Path base = root.toRealPath();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Path file = base.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
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
    return new GitHttpServer(server, base);
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
