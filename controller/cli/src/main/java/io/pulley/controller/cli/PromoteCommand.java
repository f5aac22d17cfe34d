package io.pulley.controller.cli;

import io.grpc.StatusRuntimeException;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ManifestError;
import io.pulley.v1.ManifestErrors;
import io.pulley.v1.PromoteRequest;
import io.pulley.v1.PromoteResponse;
import io.pulley.v1.PromotedFrom;
import io.pulley.v1.Revision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "promote",
    description =
        "Give TO the commit (and the stack's code-side settings) that FROM runs, live and healthy"
            + " on every host; stored as TO's new revision, which rolls out by TO's policy.")
final class PromoteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "FROM", description = "The environment promoted from.")
  String from;

  @Parameters(index = "2", paramLabel = "TO", description = "The environment that gets it.")
  String to;

  @Option(names = "--dry-run", description = "Show the diff TO would get; store nothing.")
  boolean dryRun;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    PromoteResponse response;
    try {
      response =
          admin.promote(
              PromoteRequest.newBuilder()
                  .setApplication(application)
                  .setFromEnvironment(from)
                  .setToEnvironment(to)
                  .setDryRun(dryRun)
                  .build());
    } catch (StatusRuntimeException e) {
      throw rejected(e);
    }
    if (json()) {
      printJson(response);
      return ExitCodes.OK;
    }
    if (!response.getDiff().isEmpty() && response.getChanged()) {
      out().print(response.getDiff());
      if (!response.getDiff().endsWith("\n")) {
        out().println();
      }
    }
    out().println(summary(response));
    for (String notice : response.getNoticesList()) {
      out().println("note: " + notice);
    }
    out().flush();
    return ExitCodes.OK;
  }

  private String summary(PromoteResponse response) {
    Revision revision = response.getRevision();
    PromotedFrom source = response.getPromotedFrom();
    String release =
        application
            + "/"
            + source.getEnvironment()
            + " revision "
            + source.getRevision()
            + " at "
            + Formats.shortId(source.getCommit());
    String target = application + "/" + to;
    if (response.getDryRun()) {
      return response.getChanged()
          ? "dry run: " + release + " would become a new revision of " + target
          : "dry run: " + target + " already runs " + release;
    }
    return response.getChanged()
        ? "promoted: "
            + release
            + " is "
            + target
            + " revision "
            + revision.getNumber()
            + "; its hosts receive it by its rollout policy"
        : "unchanged: " + target + " revision " + revision.getNumber() + " already runs " + release;
  }

  /** A promotion that does not compile is shown as apply shows a manifest's mistakes. */
  private RuntimeException rejected(StatusRuntimeException e) {
    ManifestErrors errors = ManifestErrorLine.detailsOf(e);
    if (errors == null || errors.getErrorsCount() == 0) {
      return e;
    }
    for (ManifestError error : errors.getErrorsList()) {
      err().println(ManifestErrorLine.format(application + "/" + to, error));
    }
    err().flush();
    return new CliException(
        "the promotion does not compile in "
            + application
            + "/"
            + to
            + "'s manifest; nothing was stored",
        ExitCodes.REJECTED);
  }
}
