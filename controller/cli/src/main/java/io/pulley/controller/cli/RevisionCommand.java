package io.pulley.controller.cli;

import com.google.protobuf.TextFormat;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.GetRevisionRequest;
import io.pulley.v1.Revision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "revision",
    description = "Show one revision with its resolved manifest (default: the current one).")
final class RevisionCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "ENV")
  String environment;

  @Parameters(index = "2", arity = "0..1", paramLabel = "REVISION", defaultValue = "0")
  long number;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    Revision revision =
        admin.getRevision(
            GetRevisionRequest.newBuilder()
                .setApplication(application)
                .setEnvironment(environment)
                .setNumber(number)
                .build());
    if (json()) {
      printJson(revision);
      return ExitCodes.OK;
    }
    out()
        .printf(
            "%s/%s revision %d, applied %s by %s, content %s%n%n",
            revision.getApplication(),
            revision.getEnvironment(),
            revision.getNumber(),
            Formats.time(revision.getAppliedAt()),
            revision.getAppliedBy(),
            revision.getContentHash());
    if (!revision.getTrigger().isEmpty()) {
      out().printf("trigger: %s%n%n", revision.getTrigger());
    }
    out().print(TextFormat.printer().printToString(revision.getManifest()));
    out().flush();
    return ExitCodes.OK;
  }
}
