package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ListRevisionsRequest;
import io.pulley.v1.ListRevisionsResponse;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "List the revisions of an application in an environment, newest first.")
final class HistoryCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "ENV")
  String environment;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
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
    TextTable table = new TextTable("REVISION", "APPLIED", "BY", "ORIGIN", "CONTENT");
    for (Revision revision : response.getRevisionsList()) {
      table.row(
          revision.getNumber(),
          Formats.time(revision.getAppliedAt()),
          revision.getAppliedBy(),
          origin(revision),
          Formats.shortId(revision.getContentHash()));
    }
    table.print(out());
    return ExitCodes.OK;
  }

  private static String origin(Revision revision) {
    return revision.getOrigin() == RevisionOrigin.REVISION_ORIGIN_ROLLBACK
        ? "rollback to #" + revision.getRestores()
        : "apply";
  }
}
