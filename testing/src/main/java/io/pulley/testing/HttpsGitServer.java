package io.pulley.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real HTTPS Git server on loopback speaking Git's smart HTTP protocol (JGit's upload-pack behind
 * the JDK's HTTP server), read-only, with HTTP basic authentication: one user name and one token.
 * Its certificate is {@link TestTls}'s; call {@code TestTls.get().trustInThisJvm()} before a client
 * connects. Records every request line, so a test can show a token never rode in a URL.
 */
public final class HttpsGitServer implements AutoCloseable {

  private static final String SERVICE = "git-upload-pack";

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Repository repository;
  private final String expectedAuthorization;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();

  private HttpsGitServer(File gitDir, String user, String token) throws IOException {
    this.repository = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
    this.expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
    server.createContext("/app.git/", this::handle);
    server.setExecutor(executor);
  }

  /**
   * Serves the repository whose Git directory is {@code gitDir} to {@code user} with {@code token}.
   */
  public static HttpsGitServer start(File gitDir, String user, String token) throws IOException {
    HttpsGitServer git = new HttpsGitServer(gitDir, user, token);
    git.server.start();
    return git;
  }

  /** The repository's URL, without credentials. */
  public String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/app.git";
  }

  /** Every request's method and URI so far, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** Requests refused for missing or wrong credentials. */
  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (!expectedAuthorization.equals(authorization)) {
        refused.incrementAndGet();
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String query = String.valueOf(exchange.getRequestURI().getQuery());
      if (path.endsWith("/info/refs") && query.equals("service=" + SERVICE)) {
        advertise(exchange);
      } else if (path.endsWith("/" + SERVICE) && exchange.getRequestMethod().equals("POST")) {
        upload(exchange);
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  private void advertise(HttpExchange exchange) throws IOException {
    exchange
        .getResponseHeaders()
        .add("Content-Type", "application/x-" + SERVICE + "-advertisement");
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      UploadPack pack = new UploadPack(repository);
      pack.setBiDirectionalPipe(false);
      pack.sendAdvertisedRefs(
          new RefAdvertiser.PacketLineOutRefAdvertiser(
              new org.eclipse.jgit.transport.PacketLineOut(out)),
          SERVICE);
    }
  }

  private void upload(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    exchange.getResponseHeaders().add("Content-Type", "application/x-" + SERVICE + "-result");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      UploadPack pack = new UploadPack(repository);
      pack.setBiDirectionalPipe(false);
      pack.upload(in, out, null);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    repository.close();
  }
}
