package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.GetHostReportRequest;
import io.pulley.v1.GetHostReportResponse;
import io.pulley.v1.HostHealth;
import io.pulley.v1.HostState;
import io.pulley.v1.InterruptedApply;
import io.pulley.v1.ListHostsRequest;
import io.pulley.v1.ListHostsResponse;
import io.pulley.v1.ReportSummary;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "status",
    description = {
      "Show every host's revisions and health, or one host's resources.",
      "Exits 1 if a shown host's last apply failed or it has not converged yet."
    })
final class StatusCommand extends ClientCommand {
  @Parameters(arity = "0..1", paramLabel = "HOST", description = "Show this host's resources.")
  String hostId;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    ListHostsResponse response = admin.listHosts(ListHostsRequest.getDefaultInstance());
    List<HostState> hosts = response.getHostsList();
    if (hostId != null) {
      hosts = hosts.stream().filter(h -> h.getHostId().equals(hostId)).toList();
      if (hosts.isEmpty()) {
        throw new CliException(
            "no host \"" + hostId + "\" has polled the controller; see `pulley hosts`",
            ExitCodes.NOT_FOUND);
      }
    }
    if (hostId != null) {
      hosts = List.of(withReport(admin, hosts.get(0)));
    }
    if (json()) {
      printJson(ListHostsResponse.newBuilder().addAllHosts(hosts).build());
    } else if (hostId != null) {
      printHost(hosts.get(0));
    } else {
      printFleet(hosts);
    }
    return hosts.stream().allMatch(StatusCommand::isOk) ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** ListHosts sends a summary of each report; one host's is shown whole. */
  private static HostState withReport(
      AdminServiceGrpc.AdminServiceBlockingStub admin, HostState host) {
    GetHostReportResponse report =
        admin.getHostReport(GetHostReportRequest.newBuilder().setHostId(host.getHostId()).build());
    return report.hasReport() ? host.toBuilder().setLastReport(report.getReport()).build() : host;
  }

  static boolean isOk(HostState host) {
    return host.getHealth() != HostHealth.HOST_HEALTH_DEGRADED
        && host.getAppliedPlanId().equals(host.getDesiredPlanId());
  }

  private void printFleet(List<HostState> hosts) {
    if (hosts.isEmpty()) {
      out().println("no hosts yet: start pulley-agent on a server and point it at this controller");
      out().flush();
      return;
    }
    Instant now = Instant.now();
    TextTable table =
        new TextTable(
            "HOST", "HEALTH", "REVISIONS", "CONVERGED", "RESOURCES", "LAST SEEN", "PROBLEM");
    for (HostState host : hosts) {
      table.row(
          host.getHostId(),
          Formats.health(host.getHealth()),
          Formats.revisions(host.getAppliedRevisionsList()),
          host.getAppliedPlanId().equals(host.getDesiredPlanId()) ? "yes" : "no",
          resourceSummary(host.getLastReportSummary()),
          Formats.ago(host.getLastSeen(), now),
          firstFailure(host.getLastReportSummary()));
    }
    table.print(out());
  }

  private void printHost(HostState host) {
    Instant now = Instant.now();
    out()
        .printf(
            "host %s: %s, %s, last seen %s%n",
            host.getHostId(),
            Formats.health(host.getHealth()),
            host.getAppliedPlanId().equals(host.getDesiredPlanId())
                ? "converged to plan " + Formats.shortId(host.getAppliedPlanId())
                : "applied plan "
                    + Formats.shortId(host.getAppliedPlanId())
                    + ", wants "
                    + Formats.shortId(host.getDesiredPlanId()),
            Formats.ago(host.getLastSeen(), now));
    if (!host.hasLastReport()) {
      out().println("no apply reported yet");
      out().flush();
      return;
    }
    ApplyReport report = host.getLastReport();
    out()
        .printf(
            "last apply: %s at %s in %s, revisions %s%n",
            Formats.outcome(report.getOutcome()),
            Formats.time(report.getStartedAt()),
            Formats.duration(report.getDuration()),
            Formats.revisions(report.getRevisionsList()));
    if (report.hasInterrupted()) {
      out().println(interrupted(report.getInterrupted()));
    }
    TextTable table = new TextTable("APP/ENV", "RESOURCE", "OUTCOME", "TIME", "REASON");
    for (ResourceResult result : report.getResultsList()) {
      table.row(
          result.getApplication() + "/" + result.getEnvironment(),
          result.getResourceId(),
          Formats.outcome(result.getOutcome()),
          Formats.duration(result.getDuration()),
          TextTable.reason(result.getReason()));
    }
    table.print(out());
    for (ResourceResult result : report.getResultsList()) {
      if (!result.getDrift().isEmpty()) {
        out().println();
        out().println("drift corrected in " + result.getResourceId() + ":");
        result.getDrift().stripTrailing().lines().forEach(line -> out().println("  " + line));
      }
    }
    for (ResourceResult result : report.getResultsList()) {
      if (result.getOutcome() == ResourceOutcome.RESOURCE_OUTCOME_FAILED
          && !result.getOutputTail().isEmpty()) {
        out().println();
        out().println("output of " + result.getResourceId() + " (tail):");
        out().println(result.getOutputTail().stripTrailing());
      }
    }
    out().flush();
  }

  /** What this apply resumed: the one before it was cut short. */
  private static String interrupted(InterruptedApply cut) {
    String where =
        cut.getResourceId().isEmpty()
            ? "before its first resource"
            : "at " + cut.getApplication() + "/" + cut.getEnvironment() + " " + cut.getResourceId();
    return "resumed an apply interrupted "
        + where
        + (cut.getStopped() ? " (the agent was stopped)" : " (the agent died: killed or rebooted)")
        + ": plan "
        + Formats.shortId(cut.getPlanId())
        + " begun "
        + Formats.time(cut.getStartedAt());
  }

  private static String resourceSummary(ReportSummary report) {
    int total =
        report.getUnchanged() + report.getChanged() + report.getFailed() + report.getSkipped();
    if (total == 0) {
      return "-";
    }
    String summary = (report.getUnchanged() + report.getChanged()) + "/" + total + " ok";
    if (report.getFailed() > 0) {
      summary += ", " + report.getFailed() + " failed";
    }
    if (report.getSkipped() > 0) {
      summary += ", " + report.getSkipped() + " skipped";
    }
    return summary;
  }

  private static String firstFailure(ReportSummary report) {
    if (!report.hasFirstFailure()) {
      return "";
    }
    return report.getFirstFailure().getResourceId() + ": " + report.getFirstFailure().getReason();
  }
}
