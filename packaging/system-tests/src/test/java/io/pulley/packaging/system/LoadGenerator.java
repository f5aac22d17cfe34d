package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load generator running on the server against nginx, as a transient systemd unit until it is
 * stopped with SIGINT (both print their summary then): wrk, closed loop (each connection sends its
 * next request when the last is answered), or httperf, open loop (new connections at a fixed rate,
 * answered or not, which is what overflows a backlog). What each saw is read from its summary.
 */
final class LoadGenerator {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What a generator saw: requests answered, and the errors it counted itself. {@code socketErrors}
   * are failures to connect, write or get an answer in time; {@code readErrors} are wrk's reads
   * that found a kept-alive connection closed before any answer (see docs/testing.md).
   */
  record Summary(
      String name, long requests, long socketErrors, long readErrors, long non2xx, String text) {}

  private final PristineServer server;
  private final String name;
  private final String unit;

  private LoadGenerator(PristineServer server, String name, List<String> argv) {
    this.server = server;
    this.name = name;
    this.unit = "pulley-load-" + name + ".service";
    server.exec("systemctl", "reset-failed", unit);
    String[] run =
        java.util.stream.Stream.concat(
                List.of("systemd-run", "--unit=" + unit, "--collect", "--quiet").stream(),
                argv.stream())
            .toArray(String[]::new);
    server.execOrThrow(run);
  }

  /** wrk with {@code connections} connections and a client timeout long enough for any answer. */
  static LoadGenerator wrk(
      PristineServer server, String name, String host, int port, int connections) {
    return new LoadGenerator(
        server,
        name,
        List.of(
            "/usr/bin/wrk",
            "-t2",
            "-c" + connections,
            "-d3600s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            "Host: " + host,
            "http://127.0.0.1:" + port + "/"));
  }

  /** httperf opening {@code rate} connections a second, one request each. */
  static LoadGenerator httperf(
      PristineServer server, String name, String host, int port, int rate) {
    return new LoadGenerator(
        server,
        name,
        List.of(
            "/usr/bin/httperf",
            "--hog",
            "--server",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--server-name",
            host,
            "--uri",
            "/",
            "--rate",
            Integer.toString(rate),
            "--num-conns",
            Integer.toString(rate * 3600),
            "--timeout",
            "30"));
  }

  /** Stops the generator and reads its summary from the journal. */
  Summary stop() throws InterruptedException {
    server.exec("systemctl", "kill", "--signal=SIGINT", unit);
    Instant end = Instant.now().plus(STOP_TIMEOUT);
    while (server.exec("systemctl", "is-active", "--quiet", unit).ok()) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException(name + " did not stop on SIGINT");
      }
      Thread.sleep(200);
    }
    String text = server.execOrThrow("journalctl", "-u", unit, "-o", "cat", "--no-pager").stdout();
    return name.startsWith("wrk") ? wrkSummary(name, text) : httperfSummary(name, text);
  }

  static Summary wrkSummary(String name, String text) {
    long requests = number(text, "(\\d+) requests in ");
    Matcher errors =
        Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
            .matcher(text);
    long socket = 0;
    long read = 0;
    if (errors.find()) {
      socket =
          Long.parseLong(errors.group(1))
              + Long.parseLong(errors.group(3))
              + Long.parseLong(errors.group(4));
      read = Long.parseLong(errors.group(2));
    }
    long non2xx = text.contains("Non-2xx") ? number(text, "Non-2xx or 3xx responses: (\\d+)") : 0;
    if (requests < 0) {
      throw new IllegalStateException(name + " printed no summary:\n" + text);
    }
    return new Summary(name, requests, socket, read, non2xx, text);
  }

  static Summary httperfSummary(String name, String text) {
    long replies = number(text, "Total: connections \\d+ requests \\d+ replies (\\d+)");
    long errors = number(text, "Errors: total (\\d+)");
    Matcher status =
        Pattern.compile("Reply status: 1xx=(\\d+) 2xx=(\\d+) 3xx=(\\d+) 4xx=(\\d+) 5xx=(\\d+)")
            .matcher(text);
    if (replies < 0 || errors < 0 || !status.find()) {
      throw new IllegalStateException(name + " printed no summary:\n" + text);
    }
    long non2xx = replies - Long.parseLong(status.group(2));
    return new Summary(name, replies, errors, 0, non2xx, text);
  }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
