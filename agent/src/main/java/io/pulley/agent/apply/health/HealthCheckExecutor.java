package io.pulley.agent.apply.health;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.v1.lite.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a URL until it answers as expected or the deadline passes, once a second. A passing check
 * changed nothing, so it reports UNCHANGED; a failing one reports the last answer or connection
 * error. One apply at a time; not thread-safe.
 */
public final class HealthCheckExecutor implements ResourceExecutor<HealthCheck> {
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  static final int DEFAULT_DEADLINE_SECONDS = 60;
  static final int BODY_LIMIT = 64 * 1024;
  static final int EXCERPT_CHARS = 120;
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Clock clock;
  private final RetryPause pause;
  private final HttpClients clients = new HttpClients();

  public HealthCheckExecutor() {
    this(Clock.systemUTC(), RetryPause.SLEEP);
  }

  HealthCheckExecutor(Clock clock, RetryPause pause) {
    this.clock = clock;
    this.pause = pause;
  }

  /** One attempt's answer: a status and the start of the body, or why there was none. */
  private record Answer(int status, String body, String error) {}

  @Override
  public Convergence converge(HealthCheck spec, ApplyContext context) {
    URI uri;
    try {
      uri = new URI(spec.getUrl());
    } catch (URISyntaxException e) {
      return Convergence.failed("url '" + spec.getUrl() + "' is not a URL: " + e.getReason());
    }
    Optional<String> invalid = invalid(spec, uri);
    if (invalid.isPresent()) {
      return Convergence.failed(invalid.get());
    }
    HttpRequest request;
    try {
      request = request(spec, uri);
    } catch (IllegalArgumentException e) {
      // The JDK refuses a Host header unless the JVM allows it at start-up (see AgentMain).
      return Convergence.failed(
          "cannot send Host header '" + spec.getHostHeader() + "': " + e.getMessage());
    }
    int expected = spec.getExpectStatus() == 0 ? 200 : spec.getExpectStatus();
    int seconds =
        spec.getDeadlineSeconds() == 0 ? DEFAULT_DEADLINE_SECONDS : spec.getDeadlineSeconds();
    try {
      return poll(spec, request, expected, Duration.ofSeconds(seconds), context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted before " + spec.getUrl() + " answered");
    }
  }

  private Convergence poll(
      HealthCheck spec, HttpRequest request, int expected, Duration deadline, ApplyContext context)
      throws InterruptedException {
    Instant start = clock.instant();
    Instant end = start.plus(deadline);
    while (true) {
      Answer answer = ask(spec.getInsecureTls(), request);
      Duration elapsed = Duration.between(start, clock.instant());
      if (answer.error().isEmpty()
          && answer.status() == expected
          && answer.body().contains(spec.getExpectBody())) {
        return Convergence.unchanged(answer.status() + " after " + seconds(elapsed));
      }
      Instant now = clock.instant();
      if (!now.isBefore(end)) {
        String last =
            SecretScrubber.scrub(
                describe(answer, expected, spec.getExpectBody()), context.secrets().values());
        return Convergence.failed(
            "no healthy answer from "
                + spec.getUrl()
                + " in "
                + seconds(elapsed)
                + "; last: "
                + last);
      }
      Duration left = Duration.between(now, end);
      pause.pause(left.compareTo(INTERVAL) < 0 ? left : INTERVAL);
    }
  }

  private Answer ask(boolean insecureTls, HttpRequest request) throws InterruptedException {
    // sendAsync with our own wait: the JDK 17 client's send() can hang on a failed TLS handshake
    // although the request has a timeout.
    CompletableFuture<HttpResponse<InputStream>> sent =
        clients.get(insecureTls).sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    try {
      HttpResponse<InputStream> response =
          sent.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      try (InputStream body = response.body()) {
        byte[] start = body.readNBytes(BODY_LIMIT);
        return new Answer(response.statusCode(), new String(start, StandardCharsets.UTF_8), "");
      }
    } catch (TimeoutException e) {
      return new Answer(0, "", "no answer within " + seconds(REQUEST_TIMEOUT));
    } catch (ExecutionException e) {
      return new Answer(0, "", error(e.getCause()));
    } catch (IOException e) {
      return new Answer(0, "", error(e));
    } finally {
      sent.cancel(true);
    }
  }

  private static HttpRequest request(HealthCheck spec, URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
    if (!spec.getHostHeader().isEmpty()) {
      builder.header("Host", spec.getHostHeader());
    }
    return builder.build();
  }

  private static String describe(Answer answer, int expected, String expectBody) {
    if (!answer.error().isEmpty()) {
      return answer.error();
    }
    String excerpt = excerpt(answer.body());
    if (answer.status() != expected) {
      return "status "
          + answer.status()
          + " (expected "
          + expected
          + ")"
          + (excerpt.isEmpty() ? "" : ": " + excerpt);
    }
    return "status " + answer.status() + " but the body lacks \"" + expectBody + "\": " + excerpt;
  }

  /** The body's start on one line, short enough for a report reason. */
  public static String excerpt(String body) {
    String line = BLANKS.matcher(body.strip()).replaceAll(" ");
    return line.length() <= EXCERPT_CHARS ? line : line.substring(0, EXCERPT_CHARS) + "…";
  }

  /** The outer kind with the innermost message: the JDK's ConnectException often has none. */
  private static String error(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    String kind = e.getClass().getSimpleName();
    return message == null ? kind : kind + ": " + message;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static Optional<String> invalid(HealthCheck spec, URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      return Optional.of("url '" + spec.getUrl() + "' is not an absolute http:// or https:// URL");
    }
    if (spec.getExpectStatus() != 0
        && (spec.getExpectStatus() < 100 || spec.getExpectStatus() > 599)) {
      return Optional.of("expect_status " + spec.getExpectStatus() + " is not an HTTP status");
    }
    if (spec.getDeadlineSeconds() < 0) {
      return Optional.of("deadline_seconds must not be negative: " + spec.getDeadlineSeconds());
    }
    if (spec.getHostHeader().chars().anyMatch(c -> c <= ' ' || c >= 127)) {
      return Optional.of("host_header '" + spec.getHostHeader() + "' contains spaces or controls");
    }
    return Optional.empty();
  }
}
