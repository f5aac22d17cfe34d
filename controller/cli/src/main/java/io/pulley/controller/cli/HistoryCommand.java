package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.ListEventsRequest;
import io.pulley.v1.ListEventsResponse;
import io.pulley.v1.ListRevisionsRequest;
import io.pulley.v1.ListRevisionsResponse;
import io.pulley.v1.Revision;
import io.pulley.v1.RolloutStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "history",
    description =
        "List the revisions of an application in an environment, newest first, then its audit"
            + " trail: rollout steps, pauses, aborts, rollbacks and quarantines, with who did them.")
final class HistoryCommand extends ClientCommand {
  private static final int RECENT_EVENTS = 20;

  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "ENV")
  String environment;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--events", description = "Only the audit trail (with --json too).")
  boolean eventsOnly;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    if (eventsOnly) {
      return printEvents(admin, limit);
    }
    ListRevisionsResponse response =
        admin.listRevisions(
            ListRevisionsRequest.newBuilder()
                .setApplication(application)
                .setEnvironment(environment)
                .setLimit(limit)
                .build());
    if (response.getRevisionsCount() == 0) {
      throw new CliException(
          "no revisions of " + application + "/" + environment + "; apply a manifest first",
          ExitCodes.NOT_FOUND);
    }
    if (json()) {
      printJson(response);
      return ExitCodes.OK;
    }
    TextTable table = new TextTable("REVISION", "APPLIED", "BY", "ROLLOUT", "ORIGIN", "CONTENT");
    for (Revision revision : response.getRevisionsList()) {
      table.row(
          revision.getNumber(),
          Formats.time(revision.getAppliedAt()),
          revision.getAppliedBy(),
          rollout(response.getRolloutStatusMap().get(revision.getNumber())),
          origin(revision),
          Formats.shortId(revision.getContentHash()));
    }
    table.print(out());
    out().println();
    printEvents(admin, Math.min(limit, RECENT_EVENTS));
    return ExitCodes.OK;
  }

  private int printEvents(AdminServiceGrpc.AdminServiceBlockingStub admin, int count) {
    ListEventsResponse events =
        admin.listEvents(
            ListEventsRequest.newBuilder()
                .setApplication(application)
                .setEnvironment(environment)
                .setLimit(count)
                .build());
    if (json()) {
      printJson(events);
      return ExitCodes.OK;
    }
    TextTable table = new TextTable("WHEN", "REVISION", "BY", "WHAT");
    for (AuditEvent event : events.getEventsList()) {
      table.row(
          Formats.time(event.getAt()),
          event.getRevision() == 0 ? "-" : Long.toString(event.getRevision()),
          event.getActor(),
          event.getDetail());
    }
    table.print(out());
    out().flush();
    return ExitCodes.OK;
  }

  // A halted rollout is the revision's failure: say so, with how it ended.
  private static String rollout(RolloutStatus status) {
    if (status == null) {
      return "-";
    }
    String word = Formats.status(status);
    return status == RolloutStatus.ROLLOUT_STATUS_HALTED ? "failed (" + word + ")" : word;
  }

  private static String origin(Revision revision) {
    return switch (revision.getOrigin()) {
      case REVISION_ORIGIN_ROLLBACK -> "rollback to #" + revision.getRestores();
      case REVISION_ORIGIN_TRACK -> "track: " + revision.getTrigger();
      case REVISION_ORIGIN_PROMOTE -> "promote: " + revision.getTrigger();
      default -> "apply";
    };
  }
}
