package io.pulley.agent.apply.forked;

import io.pulley.agent.apply.Applier;
import io.pulley.agent.apply.RootCause;
import io.pulley.v1.lite.AppPlan;
import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.ResourceResult;

/**
 * The report of an apply whose executors could not be loaded or run at all (the agent's jar
 * replaced by a broken one, say): the first resource of each application failed with the reason,
 * the others skipped, so that the host shows as failed with a cause rather than as silent.
 */
final class RunFailure {
  private RunFailure() {}

  static ApplyReport report(HostPlan plan, Throwable cause) {
    String reason =
        "the agent could not run its executors: "
            + (cause instanceof Exception e ? RootCause.of(e) : cause.toString());
    ApplyReport.Builder report =
        ApplyReport.newBuilder()
            .setHostId(plan.getHostId())
            .setPlanId(plan.getPlanId())
            .setOutcome(ApplyOutcome.APPLY_OUTCOME_FAILED);
    for (AppPlan app : plan.getAppsList()) {
      report.addRevisions(Applier.revisionOf(app));
      for (int i = 0; i < app.getResourcesCount(); i++) {
        report.addResults(
            ResourceResult.newBuilder()
                .setApplication(app.getApplication())
                .setEnvironment(app.getEnvironment())
                .setResourceId(app.getResources(i).getId())
                .setOutcome(
                    i == 0
                        ? ResourceOutcome.RESOURCE_OUTCOME_FAILED
                        : ResourceOutcome.RESOURCE_OUTCOME_SKIPPED)
                .setReason(i == 0 ? reason : "skipped: the apply could not run"));
      }
    }
    return report.build();
  }
}
