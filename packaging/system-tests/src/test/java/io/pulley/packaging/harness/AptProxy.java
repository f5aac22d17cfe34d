package io.pulley.packaging.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A forward HTTP proxy through which pristine servers reach the package archives named in their
 * image's own apt sources, and nothing else: only GET, only to those hosts. Package files ({@code
 * .deb}) never change under one name, so they are kept in {@code apt-proxy/debs} of the harness
 * cache and downloaded once per machine; index files pass through, since they change.
 *
 * <p>Uses the JDK only, so that {@code pristine.sh} can run this file with the source launcher
 * ({@code java AptProxy.java ROOTFS CACHE ADDRESS APT_CONF}); that is also why it logs through
 * {@link System.Logger}. Thread-safe; {@link #close()} is idempotent.
 */
public final class AptProxy implements AutoCloseable {

  /** Where a server's apt finds its proxy settings. */
  public static final String APT_CONF = "/etc/apt/apt.conf.d/01pulley-apt-proxy";

  private static final Pattern DEB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+.~%_-]*\\.deb");
  private static final List<String> REQUEST_HEADERS =
      List.of("If-Modified-Since", "If-None-Match", "Range", "If-Range");
  private static final List<String> RESPONSE_HEADERS =
      List.of("Content-Type", "Last-Modified", "ETag", "Content-Range", "Accept-Ranges");
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofMinutes(5);
  private static final System.Logger log = System.getLogger(AptProxy.class.getName());

  private final Set<String> hosts;
  private final Path debs;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private final ConcurrentHashMap<String, Object> downloads = new ConcurrentHashMap<>();
  private final AtomicInteger fetched = new AtomicInteger();
  private boolean closed;

  private AptProxy(Set<String> hosts, Path debs, HttpServer server, ExecutorService executor) {
    this.hosts = Set.copyOf(hosts);
    this.debs = debs;
    this.server = server;
    this.executor = executor;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .executor(executor)
            .build();
  }

  /**
   * Starts a proxy on {@code address} (a free port) for the hosts in {@code rootfs}'s apt sources,
   * caching packages under {@code cache}.
   */
  public static AptProxy start(Path rootfs, Path cache, InetAddress address) {
    Set<String> hosts = Sources.hosts(rootfs);
    if (hosts.isEmpty()) {
      throw new IllegalStateException("no http:// apt source in " + rootfs.resolve("etc/apt"));
    }
    ExecutorService executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "pulley-apt-proxy");
              thread.setDaemon(true); // a forgotten proxy must not keep a test JVM alive
              return thread;
            });
    try {
      Path debs = Files.createDirectories(cache.resolve("apt-proxy/debs"));
      HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 50);
      AptProxy proxy = new AptProxy(hosts, debs, server, executor);
      server.createContext("/", proxy::handle);
      server.setExecutor(executor);
      server.start();
      log.log(Level.INFO, "apt proxy on {0} for {1}", proxy.url(), hosts);
      return proxy;
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java AptProxy.java ROOTFS CACHE ADDRESS APT_CONF}: runs until killed. */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: java AptProxy.java ROOTFS CACHE ADDRESS APT_CONF");
      System.exit(2);
    }
    AptProxy proxy = start(Path.of(args[0]), Path.of(args[1]), InetAddress.getByName(args[2]));
    Path conf = Path.of(args[3]);
    Path temp = conf.resolveSibling(conf.getFileName() + ".tmp");
    Files.writeString(temp, proxy.aptConfig());
    // The caller waits for this file; the rename makes it appear complete.
    Files.move(temp, conf, StandardCopyOption.ATOMIC_MOVE);
  }

  public String url() {
    InetSocketAddress bound = server.getAddress();
    return "http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + "/";
  }

  public Set<String> hosts() {
    return hosts;
  }

  /** How many package files were downloaded rather than served from the cache. */
  public int downloads() {
    return fetched.get();
  }

  /** The apt.conf snippet that sends a server's http traffic here. */
  public String aptConfig() {
    return "Acquire::http::Proxy \""
        + url()
        + "\";\n"
        // One request at a time per connection: the JDK's server does not promise pipelining.
        + "Acquire::http::Pipeline-Depth \"0\";\n"
        + "Acquire::Retries \"3\";\n";
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      if (!"GET".equals(exchange.getRequestMethod())) {
        refuse(exchange, 405, "only GET is forwarded");
      } else if (!"http".equals(uri.getScheme()) || !hosts.contains(uri.getHost())) {
        refuse(exchange, 403, "not an apt source of this image: " + uri.getHost());
      } else if (uri.getPath() != null && DEB_NAME.matcher(fileName(uri)).matches()) {
        serveCached(exchange, uri);
      } else {
        passThrough(exchange, uri);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.log(Level.WARNING, "apt proxy request failed: {0}", e.toString());
    }
  }

  private void serveCached(HttpExchange exchange, URI uri)
      throws IOException, InterruptedException {
    Path file = debs.resolve(fileName(uri));
    // One download per file name in this JVM; other processes at worst download it once more.
    synchronized (downloads.computeIfAbsent(file.getFileName().toString(), name -> new Object())) {
      if (!Files.isRegularFile(file) && !download(uri, file, exchange)) {
        return;
      }
    }
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.debian.binary-package");
    exchange.sendResponseHeaders(200, Files.size(file));
    try (OutputStream body = exchange.getResponseBody()) {
      Files.copy(file, body);
    }
  }

  /**
   * Downloads into a temporary file beside {@code file}; returns false after relaying a failure.
   */
  private boolean download(URI uri, Path file, HttpExchange exchange)
      throws IOException, InterruptedException {
    Path temp = Files.createTempFile(debs, ".download-", ".part");
    try {
      HttpResponse<Path> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(UPSTREAM_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofFile(temp));
      if (response.statusCode() != 200) {
        refuse(exchange, response.statusCode(), "upstream answered " + response.statusCode());
        return false;
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fetched.incrementAndGet();
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void passThrough(HttpExchange exchange, URI uri)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(UPSTREAM_TIMEOUT).GET();
    for (String name : REQUEST_HEADERS) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    HttpResponse<InputStream> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream upstream = response.body()) {
      for (String name : RESPONSE_HEADERS) {
        response
            .headers()
            .firstValue(name)
            .ifPresent(v -> exchange.getResponseHeaders().set(name, v));
      }
      int status = response.statusCode();
      OptionalLong declared = response.headers().firstValueAsLong("Content-Length");
      boolean empty = status == 304 || status == 204 || declared.orElse(-1) == 0;
      // -1 means no body, 0 a chunked body of unknown length.
      exchange.sendResponseHeaders(status, empty ? -1 : declared.orElse(0));
      if (!empty) {
        try (OutputStream body = exchange.getResponseBody()) {
          upstream.transferTo(body);
        }
      }
    }
  }

  private static void refuse(HttpExchange exchange, int status, String reason) throws IOException {
    byte[] text = (reason + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, text.length);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(text);
    }
  }

  private static String fileName(URI uri) {
    String path = uri.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * The hosts of a root file system's http apt sources: one-line ({@code sources.list}, {@code
   * *.list}) and deb822 ({@code *.sources}) files. Read from the image, so the proxy allows exactly
   * what the servers would fetch from anyway.
   */
  static final class Sources {

    private static final Pattern HTTP_URI = Pattern.compile("http://[^\\s/\\]]+[^\\s\\]]*");

    private Sources() {}

    static Set<String> hosts(Path rootfs) {
      Path apt = rootfs.resolve("etc/apt");
      Set<String> hosts = new TreeSet<>();
      try {
        if (Files.isRegularFile(apt.resolve("sources.list"))) {
          addHosts(apt.resolve("sources.list"), hosts);
        }
        Path parts = apt.resolve("sources.list.d");
        if (Files.isDirectory(parts)) {
          try (Stream<Path> files = Files.list(parts)) {
            for (Path file : files.sorted().toList()) {
              String name = file.getFileName().toString();
              if (name.endsWith(".list") || name.endsWith(".sources")) {
                addHosts(file, hosts);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return hosts;
    }

    /** Every http URI on a {@code deb}/{@code deb-src} line or a {@code URIs:} field. */
    private static void addHosts(Path file, Set<String> hosts) throws IOException {
      for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String line = raw.strip();
        boolean oneLine = line.startsWith("deb ") || line.startsWith("deb-src ");
        if (!oneLine && !line.regionMatches(true, 0, "URIs:", 0, 5)) {
          continue;
        }
        var matcher = HTTP_URI.matcher(line);
        while (matcher.find()) {
          String host = URI.create(matcher.group()).getHost();
          if (host != null) {
            hosts.add(host);
          }
        }
      }
    }
  }
}
