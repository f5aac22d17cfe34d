package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One attempt to hand a site over: what to ({@link HandoverTarget}), through what ({@link
 * HandoverHost}), and the changes made so far, which the report lists in order. Used by one
 * handover on one thread.
 */
final class Attempt {
  private final HandoverTarget target;
  private final HandoverHost host;
  private final List<String> changes = new ArrayList<>();
  private StepFailed failedWithTraffic;

  Attempt(HandoverTarget target, HandoverHost host) {
    this.target = target;
    this.host = host;
  }

  HandoverTarget target() {
    return target;
  }

  HandoverHost host() {
    return host;
  }

  Systemctl systemctl() {
    return host.systemctl();
  }

  /** Records a change for the report, such as "worker 3f2a… started". */
  void changed(String what) {
    changes.add(what);
  }

  List<String> changes() {
    return List.copyOf(changes);
  }

  /**
   * Returns {@code failure} after noting that it happened while the release had the site's traffic:
   * users saw it, so a retry must not show it to them again ({@link SiteFailures}).
   */
  StepFailed failedWithTraffic(StepFailed failure) {
    failedWithTraffic = failure;
    return failure;
  }

  /** The failure seen while the release had the traffic, if the attempt had one. */
  Optional<StepFailed> failureWithTraffic() {
    return Optional.ofNullable(failedWithTraffic);
  }
}
