package io.pulley.controller.cli;

import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.ListAccessEventsRequest;
import io.pulley.v1.ListAccessEventsResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    description =
        "The access trail, newest first: tokens, hosts enrolled, approved, relabelled, revoked and"
            + " removed, admins invited, logged in and revoked, with who did it.")
final class AuditCommand extends AccessCommand {

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many (default ${DEFAULT-VALUE}, at most 1000).")
  int limit;

  @Override
  int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
    ListAccessEventsResponse response =
        access.listAccessEvents(ListAccessEventsRequest.newBuilder().setLimit(limit).build());
    if (json()) {
      printJson(response);
      return ExitCodes.OK;
    }
    TextTable table = new TextTable("WHEN", "KIND", "BY", "WHAT");
    for (AuditEvent event : response.getEventsList()) {
      table.row(Formats.time(event.getAt()), event.getKind(), event.getActor(), event.getDetail());
    }
    table.print(out());
    out().flush();
    return ExitCodes.OK;
  }
}
