package io.pulley.controller.tracking;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.http.HttpListeners;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.store.Store;
import io.pulley.v1.Revision;
import io.pulley.wire.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /hooks/APP/ENV} for push webhooks, over HTTPS (plain HTTP only in insecure
 * mode): a request signed with the application's {@code track.webhook_secret} makes tracking read
 * the remote at once ({@code readNow}; 202); one with a bad or no signature is refused (401),
 * logged and put in the trail, and changes nothing. A delivery whose id (X-GitHub-Delivery and the
 * like) was received lately is answered "already received" (200) without reading the remote;
 * deliveries without an id make the remote be read at most once per {@link Tracker#NOTICE_GAP}. The
 * body is only authenticated, never trusted for what it says: the controller reads the refs itself.
 */
public final class WebhookEndpoint implements AutoCloseable {
  static final int MAX_BODY_BYTES = 1 << 20;
  static final Duration REJECTIONS_RECORDED_EVERY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(WebhookEndpoint.class);
  private static final Pattern PATH =
      Pattern.compile("/hooks/([a-z][a-z0-9-]{0,62})/([a-z][a-z0-9-]{0,62})/?");

  private static final int THREADS = 4;

  private final HttpServer server;

  private WebhookEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * Serves on {@code address} over HTTPS with {@code tls}'s certificate, or over plain HTTP when
   * {@code tls} is empty (insecure mode only: the signature still authenticates a push, but anyone
   * on the path reads the event and the forge's headers).
   */
  public static WebhookEndpoint start(
      InetSocketAddress address,
      Optional<SSLContext> tls,
      RevisionLog revisions,
      Store store,
      Tracker tracker,
      AuditTrail audit,
      Runnable readNow)
      throws IOException {
    return start(address, tls, revisions, store, tracker, audit, readNow, Clock.systemUTC());
  }

  static WebhookEndpoint start(
      InetSocketAddress address,
      Optional<SSLContext> tls,
      RevisionLog revisions,
      Store store,
      Tracker tracker,
      AuditTrail audit,
      Runnable readNow,
      Clock clock)
      throws IOException {
    HttpServer server =
        tls.isPresent()
            ? HttpListeners.createHttps(address, THREADS, "webhook-https", tls.get())
            : HttpListeners.create(address, THREADS, "webhook-http");
    Handler handler = new Handler(revisions, store, tracker, audit, readNow, clock);
    server.createContext(
        "/hooks/",
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
          }
        });
    server.start();
    return new WebhookEndpoint(server);
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** "https", or "http" in insecure mode. */
  public String scheme() {
    return server instanceof HttpsServer ? "https" : "http";
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private record Handler(
      RevisionLog revisions,
      Store store,
      Tracker tracker,
      AuditTrail audit,
      Runnable readNow,
      Clock clock,
      DeliveryIds deliveries,
      Map<String, Instant> lastRecorded) {
    Handler(
        RevisionLog revisions,
        Store store,
        Tracker tracker,
        AuditTrail audit,
        Runnable readNow,
        Clock clock) {
      this(
          revisions,
          store,
          tracker,
          audit,
          readNow,
          clock,
          new DeliveryIds(clock),
          new ConcurrentHashMap<>());
    }

    void handle(HttpExchange exchange) throws IOException {
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, "POST a push event here\n");
        return;
      }
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      if (!path.matches()) {
        answer(exchange, 404, "use /hooks/APP/ENV\n");
        return;
      }
      AppEnv app = new AppEnv(path.group(1), path.group(2));
      Optional<String> secret = secretOf(app);
      if (secret.isEmpty()) {
        // The same answer whether the application is unknown or has no webhook: nothing to learn.
        answer(exchange, 404, "no webhook for " + app + "\n");
        return;
      }
      byte[] body = readBody(exchange);
      if (body == null) {
        answer(exchange, 413, "a push event is at most 1 MiB\n");
        return;
      }
      WebhookSignature.Verdict verdict =
          WebhookSignature.check(
              name -> Optional.ofNullable(exchange.getRequestHeaders().getFirst(name)),
              body,
              secret.get());
      String from = exchange.getRemoteAddress().getAddress().getHostAddress();
      if (verdict instanceof WebhookSignature.Rejected rejected) {
        log.warn("webhook for {} from {} rejected: {}", app, from, rejected.reason());
        recordNowAndThen(app, "rejected", from, "rejected: " + rejected.reason());
        answer(exchange, 401, "rejected: " + rejected.reason() + "\n");
        return;
      }
      Optional<String> delivery =
          DeliveryIds.idOf(
              name -> Optional.ofNullable(exchange.getRequestHeaders().getFirst(name)));
      if (delivery.isPresent() && !deliveries.firstTime(app, delivery.get())) {
        String id = SafeText.line(delivery.get());
        log.info("webhook for {} from {}: delivery {} was received already", app, from, id);
        recordNowAndThen(app, "replayed", from, "delivery " + id + " received again; ignored");
        answer(exchange, 200, "already received\n");
        return;
      }
      String sender = ((WebhookSignature.Verified) verdict).sender();
      tracker.notice(app, sender);
      // Not at the next tick of the tracker's timer: a push is worth reading at once (or, after
      // another push, when Tracker.NOTICE_GAP has passed).
      readNow.run();
      log.info("webhook for {} from {}: {} noticed a push", app, from, sender);
      answer(exchange, 202, "noticed; the remote is read now\n");
    }

    /**
     * Anyone can send rejected or replayed deliveries: the trail gets the first of each kind a
     * minute per application, the log all.
     */
    private void recordNowAndThen(AppEnv app, String kind, String from, String detail) {
      Instant now = clock.instant();
      Instant last = lastRecorded.get(app + " " + kind);
      if (last == null || now.isAfter(last.plus(REJECTIONS_RECORDED_EVERY))) {
        lastRecorded.put(app + " " + kind, now);
        audit.record(app, 0, "webhook", "webhook from " + from, detail);
      }
    }

    private Optional<String> secretOf(AppEnv app) {
      Optional<Revision> current = revisions.get(app, 0);
      if (current.isEmpty()
          || current.get().getManifest().getTrack().getWebhookSecret().isEmpty()) {
        return Optional.empty();
      }
      String name = current.get().getManifest().getTrack().getWebhookSecret();
      return Optional.ofNullable(store.secrets(app).get(name)).filter(s -> !s.isEmpty());
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
      }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
