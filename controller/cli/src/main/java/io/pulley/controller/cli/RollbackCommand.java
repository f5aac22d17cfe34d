package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.RollbackRequest;
import io.pulley.v1.RollbackResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollback",
    description = "Create a new revision with the content of an earlier one; hosts converge to it.")
final class RollbackCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "ENV")
  String environment;

  @Parameters(index = "2", paramLabel = "REVISION", description = "The revision to return to.")
  long to;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    RollbackResponse response =
        admin.rollback(
            RollbackRequest.newBuilder()
                .setApplication(application)
                .setEnvironment(environment)
                .setToRevision(to)
                .build());
    if (json()) {
      printJson(response);
      return ExitCodes.OK;
    }
    if (response.getChanged()) {
      out()
          .printf(
              "rolled back: %s/%s revision %d restores revision %d%n",
              application, environment, response.getRevision().getNumber(), to);
      for (String notice : response.getNoticesList()) {
        out().println("note: " + notice);
      }
    } else {
      out()
          .printf(
              "unchanged: %s/%s revision %d already has the content of revision %d%n",
              application, environment, response.getRevision().getNumber(), to);
    }
    out().flush();
    return ExitCodes.OK;
  }
}
