package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.v1.lite.Handover;
import java.io.IOException;
import java.time.Duration;

/**
 * A Celery worker's stop that loses no task: it stops consuming first, then gets a warm shutdown.
 * How an old worker is retired and how a new one that failed is taken back. Stateless.
 */
final class WorkerShutdown {
  /** Longer than the broker poll a worker may have outstanding (BRPOP, 1 s). */
  static final Duration CONSUMER_SETTLE = Duration.ofSeconds(3);

  private WorkerShutdown() {}

  /** Stops worker {@code unit} (one of the target's worker instances, or a retired unit). */
  static void stop(Attempt attempt, String unit) throws StepFailed, InterruptedException {
    attempt.target().workers().instanceOf(unit).ifPresent(i -> stopConsuming(attempt, i));
    // systemd signals the main process only (KillMode=mixed): Celery finishes its tasks and gives
    // the unstarted ones back to the queue.
    attempt.systemctl().stop(unit);
  }

  /**
   * Asks the worker to stop taking messages, then waits out the broker poll it may have
   * outstanding: its warm shutdown then closes no connection with a message in flight. Best effort:
   * the warm shutdown follows either way.
   */
  private static void stopConsuming(Attempt attempt, String instance) {
    Handover spec = attempt.target().spec();
    try {
      for (String queue : spec.getWorkerQueuesList()) {
        attempt
            .host()
            .celery()
            .cancelConsumer(spec.getWorkerCelery(), attempt.target().node(instance), queue);
      }
      attempt.host().pause().pause(CONSUMER_SETTLE);
    } catch (IOException e) {
      // The warm shutdown still gives back what the worker holds.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
