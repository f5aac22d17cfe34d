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
    PrintWriter err = TerminalWriter.safe(commandLine.getErr());
    String controller = controllerAddress(commandLine);
    boolean insecure = insecure(commandLine);
    if (exception instanceof StatusRuntimeException status) {
      return report(status, controller, insecure, err);
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

  private static int report(
      StatusRuntimeException exception, String controller, boolean insecure, PrintWriter err) {
    Status status = exception.getStatus();
    switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> {
        err.println(
            "pulley: cannot reach the controller at "
                + controller
                + " ("
                + describe(status)
                + "); is it running? Set --controller or PULLEY_CONTROLLER"
                + (insecure
                    ? ". With --insecure the CLI speaks plaintext: a controller started without"
                        + " --insecure speaks TLS only"
                    : ""));
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

  /** Whether the failed command ran plaintext (the flag, on the command or the top one). */
  private static boolean insecure(CommandLine commandLine) {
    Object command = commandLine.getCommandSpec().userObject();
    try {
      return command instanceof ClientCommand client && client.settings().insecure();
    } catch (CliException e) {
      return false;
    }
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
