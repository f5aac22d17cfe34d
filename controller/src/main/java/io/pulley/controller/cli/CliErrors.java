package io.pulley.controller.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.pulley.v1.ManifestError;
import io.pulley.v1.ManifestErrors;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns failures into one line per problem on stderr and an exit code from {@link ExitCodes}. */
final class CliErrors implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    String controller = controllerAddress(commandLine);
    if (exception instanceof StatusRuntimeException status) {
      return report(status, controller, err);
    }
    if (exception instanceof CliException cli) {
      err.println("pulley: " + cli.getMessage());
      err.flush();
      return cli.exitCode();
    }
    err.println("pulley: unexpected error: " + exception);
    err.flush();
    return ExitCodes.FAILED;
  }

  private static int report(StatusRuntimeException exception, String controller, PrintWriter err) {
    Status status = exception.getStatus();
    switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> {
        err.println(
            "pulley: cannot reach the controller at "
                + controller
                + " ("
                + describe(status)
                + "); is it running? Set --controller or PULLEY_CONTROLLER");
        err.flush();
        return ExitCodes.UNREACHABLE;
      }
      case INVALID_ARGUMENT -> {
        ManifestErrors errors = manifestErrors(exception);
        if (errors == null || errors.getErrorsCount() == 0) {
          err.println("pulley: rejected: " + status.getDescription());
        } else {
          for (ManifestError error : errors.getErrorsList()) {
            err.println(ManifestErrorLine.format(error));
          }
          err.println(
              "pulley: manifest rejected with "
                  + errors.getErrorsCount()
                  + (errors.getErrorsCount() == 1 ? " error" : " errors")
                  + "; nothing was stored. Fix the lines above and apply again");
        }
        err.flush();
        return ExitCodes.REJECTED;
      }
      case NOT_FOUND -> {
        err.println("pulley: not found: " + status.getDescription());
        err.flush();
        return ExitCodes.NOT_FOUND;
      }
      default -> {
        err.println("pulley: the controller answered " + status.getCode() + ": " + describe(status));
        err.flush();
        return ExitCodes.FAILED;
      }
    }
  }

  private static String describe(Status status) {
    if (status.getDescription() != null) {
      return status.getDescription();
    }
    return status.getCause() == null ? status.getCode().toString() : status.getCause().getMessage();
  }

  private static ManifestErrors manifestErrors(StatusRuntimeException exception) {
    com.google.rpc.Status details = StatusProto.fromThrowable(exception);
    if (details == null) {
      return null;
    }
    for (com.google.protobuf.Any any : details.getDetailsList()) {
      if (any.is(ManifestErrors.class)) {
        try {
          return any.unpack(ManifestErrors.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static String controllerAddress(CommandLine commandLine) {
    Object root = commandLine.getCommandSpec().root().userObject();
    return root instanceof PulleyMain main ? main.controller : "?";
  }
}
