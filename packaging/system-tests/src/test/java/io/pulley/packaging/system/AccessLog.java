package io.pulley.packaging.system;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lines of an nginx access log in the stack's format (status, upstream_status, version, msec), and
 * the counts a handover is judged by. Immutable.
 */
final class AccessLog {
  private static final Pattern LINE =
      Pattern.compile(
          "\"[A-Z]+ (\\S+) [^\"]*\" (\\d{3}) .*upstream_status=(\\S+) request_time=([\\d.]+)"
              + " .*version=(\\S*) msec=([\\d.]+)(?: connection=(\\d+:\\d+):(\\d+))?");

  /** One request: what nginx answered, what the upstream said, which release, when, how long. */
  record Entry(
      String path,
      int status,
      String upstream,
      double seconds,
      String version,
      double at,
      String connection,
      int connectionRequests) {}

  private final List<Entry> entries;

  private AccessLog(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  static AccessLog parse(String text) {
    List<Entry> entries = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.find()) {
        entries.add(
            new Entry(
                m.group(1),
                Integer.parseInt(m.group(2)),
                m.group(3),
                Double.parseDouble(m.group(4)),
                m.group(5),
                Double.parseDouble(m.group(6)),
                m.group(7) == null ? "" : m.group(7),
                m.group(8) == null ? 0 : Integer.parseInt(m.group(8))));
      }
    }
    return new AccessLog(entries);
  }

  List<Entry> entries() {
    return entries;
  }

  long requests() {
    return entries.size();
  }

  /** Answers other than 2xx, leaving out 499 (the client closed: a generator stopping). */
  long failed() {
    return entries.stream().filter(e -> e.status() / 100 != 2 && e.status() != 499).count();
  }

  /** 499: the client closed the connection before the answer (wrk and httperf when stopped). */
  long clientClosed() {
    return entries.stream().filter(e -> e.status() == 499).count();
  }

  /** The distinct versions in order of first appearance, and how often the version changed. */
  List<String> versions() {
    List<String> seen = new ArrayList<>();
    for (Entry e : entries) {
      if (!e.version().isEmpty() && !e.version().equals("-") && !seen.contains(e.version())) {
        seen.add(e.version());
      }
    }
    return seen;
  }

  /**
   * Where the failures are: counts by second, status and upstream status, the busiest first, at
   * most {@code rows} of them ("04:08:16 502 upstream=502: 12").
   */
  List<String> failuresBySecond(int rows) {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    for (Entry e : entries) {
      if (e.status() / 100 != 2) {
        String second =
            java.time.LocalTime.ofInstant(
                    java.time.Instant.ofEpochMilli((long) (e.at() * 1000)),
                    java.time.ZoneOffset.UTC)
                .withNano(0)
                .toString();
        counts.merge(second + " " + e.status() + " upstream=" + e.upstream(), 1L, Long::sum);
      }
    }
    return counts.entrySet().stream()
        .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(rows)
        .map(c -> c.getKey() + ": " + c.getValue())
        .toList();
  }

  /** Changes of X-Version between consecutive answered requests: one per switch, ideally. */
  long cutovers() {
    long changes = 0;
    String last = null;
    for (Entry e : entries) {
      if (e.version().isEmpty() || e.version().equals("-")) {
        continue;
      }
      if (last != null && !last.equals(e.version())) {
        changes++;
      }
      last = e.version();
    }
    return changes;
  }

  /** The requests {@code leaveOut} does not pick. */
  AccessLog excluding(java.util.function.Predicate<Entry> leaveOut) {
    return new AccessLog(entries.stream().filter(leaveOut.negate()).toList());
  }

  /** Requests answered between {@code from} and {@code to} (epoch seconds). */
  AccessLog between(double from, double to) {
    return new AccessLog(entries.stream().filter(e -> e.at() >= from && e.at() <= to).toList());
  }

  /** Requests answered during any of {@code deploys}. */
  AccessLog during(List<HandoverProof.Deploy> deploys) {
    return new AccessLog(
        entries.stream()
            .filter(e -> deploys.stream().anyMatch(d -> e.at() >= d.from() && e.at() <= d.to()))
            .toList());
  }

  /** The {@code quantile} (0..1) of request_time in seconds; 0 without requests. */
  double latency(double quantile) {
    double[] times = entries.stream().mapToDouble(Entry::seconds).sorted().toArray();
    if (times.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(quantile * times.length) - 1;
    return times[Math.max(0, Math.min(times.length - 1, index))];
  }

  /**
   * Kept-alive connections (more than one request) whose last request ended before {@code until}
   * (epoch seconds): connections that nginx or the client closed while the load still ran. Each is
   * "04:08:16.123 after 5231 requests, last 200 in 0.004 s".
   */
  List<String> keptAliveClosedBefore(double until) {
    java.util.Map<String, Entry> last = new java.util.LinkedHashMap<>();
    for (Entry e : entries) {
      if (!e.connection().isEmpty()) {
        last.merge(e.connection(), e, (a, b) -> b.at() >= a.at() ? b : a);
      }
    }
    return last.values().stream()
        .filter(e -> e.connectionRequests() > 1 && e.at() < until)
        .sorted(java.util.Comparator.comparingDouble(Entry::at))
        .map(
            e ->
                java.time.LocalTime.ofInstant(
                        java.time.Instant.ofEpochMilli((long) (e.at() * 1000)),
                        java.time.ZoneOffset.UTC)
                    + " after "
                    + e.connectionRequests()
                    + " requests, last "
                    + e.status()
                    + " in "
                    + e.seconds()
                    + " s")
        .toList();
  }
}
