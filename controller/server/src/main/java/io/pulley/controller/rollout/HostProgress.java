package io.pulley.controller.rollout;

import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.HostState;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import io.pulley.v1.RevisionRef;
import java.time.Instant;
import java.util.Optional;

/**
 * What a host's record says about one revision of one application since a moment: applied, failed
 * (with the first failing resource's reason), or nothing yet. A failure of another application on
 * the same host is not this application's: only its own resources count.
 */
final class HostProgress {
  sealed interface Seen {}

  record Applied() implements Seen {}

  record Failed(String reason) implements Seen {}

  record Nothing() implements Seen {}

  private HostProgress() {}

  static Seen of(HostState host, RevisionRef revision, Instant since) {
    ApplyReport report = host.getLastReport();
    boolean fresh =
        host.hasLastReportAt() && !ProtoTime.instant(host.getLastReportAt()).isBefore(since);
    if (fresh && report.getRevisionsList().contains(revision)) {
      Optional<ResourceResult> failed =
          report.getResultsList().stream()
              .filter(r -> r.getApplication().equals(revision.getApplication()))
              .filter(r -> r.getEnvironment().equals(revision.getEnvironment()))
              .filter(r -> r.getOutcome() == ResourceOutcome.RESOURCE_OUTCOME_FAILED)
              .findFirst();
      if (failed.isPresent()) {
        return new Failed(failed.get().getResourceId() + ": " + failed.get().getReason());
      }
      return new Applied();
    }
    // A host that had applied the revision before (a resumed rollout, a restarted controller).
    return host.getAppliedRevisionsList().contains(revision) ? new Applied() : new Nothing();
  }
}
