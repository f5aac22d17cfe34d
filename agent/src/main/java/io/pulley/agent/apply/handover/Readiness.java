package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.health.HealthCheckExecutor;
import io.pulley.agent.apply.health.RetryPause;
import io.pulley.agent.apply.process.CommandRunner.Result;
import io.pulley.v1.lite.Command;
import io.pulley.v1.lite.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Waits until a new process is ready for work: a uWSGI instance answers the health request on its
 * own socket, a Celery worker answers a ping. Each wait ends at a deadline with the last reason.
 * Thread-safe as its runner and probe are.
 */
final class Readiness {
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration PING_INTERVAL = Duration.ofSeconds(1);

  private final CeleryControl control;
  private final SocketProbe probe;
  private final RetryPause pause;
  private final Clock clock;

  Readiness(CeleryControl control, SocketProbe probe, RetryPause pause, Clock clock) {
    this.control = control;
    this.probe = probe;
    this.pause = pause;
    this.clock = clock;
  }

  /**
   * Empty once {@code instance} accepts (its readiness file exists, when {@code awaitAccepting})
   * and answers {@code check} on its own socket as expected; else why not by the deadline.
   */
  Optional<String> webAnswers(
      Instances web, String instance, HealthCheck check, boolean awaitAccepting)
      throws InterruptedException {
    Instant end = clock.instant().plus(deadline(check.getDeadlineSeconds()));
    Path ready = web.ready(instance);
    while (awaitAccepting && !Files.exists(ready)) {
      if (!clock.instant().isBefore(end)) {
        return Optional.of("no worker accepted on " + web.socket(instance) + " (" + ready + ")");
      }
      pause.pause(INTERVAL);
    }
    int expected = check.getExpectStatus() == 0 ? 200 : check.getExpectStatus();
    while (true) {
      SocketProbe.Answer answer =
          probe.get(web.socket(instance), check.getHostHeader(), path(check));
      if (answer.error().isEmpty()
          && answer.status() == expected
          && answer.body().contains(check.getExpectBody())) {
        return Optional.empty();
      }
      if (!clock.instant().isBefore(end)) {
        return Optional.of(
            "no healthy answer on "
                + web.socket(instance)
                + "; last: "
                + describe(answer, expected));
      }
      pause.pause(INTERVAL);
    }
  }

  /** Empty once {@code node} answers a ping; else why not by the deadline. */
  Optional<String> workerAnswers(Command celery, String node)
      throws InterruptedException, IOException {
    Instant end = clock.instant().plus(deadline(celery.getTimeoutSeconds()));
    while (true) {
      Result r = control.ping(celery, node);
      if (CeleryControl.answered(r, node)) {
        return Optional.empty();
      }
      if (!clock.instant().isBefore(end)) {
        return Optional.of(
            r.succeeded() ? "no answer from " + node : r.failure(CeleryControl.TIMEOUT));
      }
      pause.pause(PING_INTERVAL);
    }
  }

  /** The path and query of the check's URL: the instance is asked directly, not through nginx. */
  static String path(HealthCheck check) {
    String url = check.getUrl();
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url.isEmpty() ? "/" : url;
    }
    int slash = url.indexOf('/', scheme + 3);
    return slash < 0 ? "/" : url.substring(slash);
  }

  private static Duration deadline(int seconds) {
    return seconds <= 0 ? DEFAULT_DEADLINE : Duration.ofSeconds(seconds);
  }

  private static String describe(SocketProbe.Answer answer, int expected) {
    if (!answer.error().isEmpty()) {
      return answer.error();
    }
    return "status "
        + answer.status()
        + (answer.status() == expected ? "" : " (expected " + expected + ")")
        + ": "
        + HealthCheckExecutor.excerpt(answer.body());
  }
}
