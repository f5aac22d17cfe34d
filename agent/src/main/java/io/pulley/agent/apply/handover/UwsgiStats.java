package io.pulley.agent.apply.handover;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a uWSGI instance is doing, from its stats socket (which writes one JSON document and
 * closes): how many requests it is serving and how many wait in its listen queue. Only those two
 * numbers are read; the document also holds the variables of running requests, which never leave
 * here.
 */
final class UwsgiStats {
  private static final Pattern IN_REQUEST = Pattern.compile("\"in_request\"\\s*:\\s*(\\d+)");
  private static final Pattern LISTEN_QUEUE = Pattern.compile("\"listen_queue\"\\s*:\\s*(\\d+)");

  /** Requests being served (cores in a request) and connections waiting to be accepted. */
  record Load(int inRequest, int queued) {
    boolean idle() {
      return inRequest == 0 && queued == 0;
    }
  }

  private UwsgiStats() {}

  /** The instance's load, or empty if its stats socket does not answer. */
  static Optional<Load> read(Path statsSocket) {
    try {
      return Optional.of(
          parse(
              new String(UnixSockets.exchange(statsSocket, new byte[0]), StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Load parse(String json) {
    Matcher queue = LISTEN_QUEUE.matcher(json);
    if (!queue.find()) {
      throw new IllegalArgumentException("no listen_queue in the stats");
    }
    int busy = 0;
    Matcher core = IN_REQUEST.matcher(json);
    while (core.find()) {
      busy += Integer.parseInt(core.group(1)) > 0 ? 1 : 0;
    }
    return new Load(busy, Integer.parseInt(queue.group(1)));
  }
}
