package io.pulley.controller.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
      case UNAUTHENTICATED -> {
        err.println(
            "pulley: the controller does not accept your credentials ("
                + describe(status)
                + "); revoked or expired? Ask an admin for `pulley admins invite` and run"
                + " `pulley login`");
        err.flush();
        return ExitCodes.DENIED;
      }
      case PERMISSION_DENIED -> {
        err.println("pulley: not allowed: " + describe(status));
        err.flush();
        return ExitCodes.DENIED;
      }
      case INVALID_ARGUMENT -> {
        err.println("pulley: rejected: " + status.getDescription());
        err.flush();
        return ExitCodes.REJECTED;
      }
      case FAILED_PRECONDITION -> {
        err.println("pulley: refused: " + status.getDescription());
        err.flush();
        return ExitCodes.REJECTED;
      }
      case NOT_FOUND -> {
        err.println("pulley: not found: " + status.getDescription());
        err.flush();
        return ExitCodes.NOT_FOUND;
      }
      default -> {
        err.println(
            "pulley: the controller answered " + status.getCode() + ": " + describe(status));
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

  private static String controllerAddress(CommandLine commandLine) {
    Object root = commandLine.getCommandSpec().root().userObject();
    try {
      return root instanceof PulleyMain main ? main.settings().controller() : "?";
    } catch (CliException e) {
      return "?";
    }
  }
}
