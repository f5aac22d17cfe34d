package io.pulley.controller.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.pulley.v1.AdminServiceGrpc;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A subcommand that talks to the controller's AdminService. */
abstract class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--insecure", description = PulleyMain.INSECURE_HELP)
  boolean insecure;

  @Override
  public final Integer call() {
    try (ControllerConnection connection =
        new ControllerConnection(settings(), root().clock, err())) {
      return run(connection);
    }
  }

  int run(ControllerConnection connection) {
    return run(connection.admin());
  }

  abstract int run(AdminServiceGrpc.AdminServiceBlockingStub admin);

  /** The top command, holding the global options; found through the spec, at any depth. */
  PulleyMain root() {
    return (PulleyMain) spec.root().userObject();
  }

  ClientSettings settings() {
    return root().settings(insecure);
  }

  boolean json() {
    return root().output == OutputFormat.JSON;
  }

  /** Standard output, with control characters from the controller's answers made visible. */
  PrintWriter out() {
    return TerminalWriter.safe(spec.commandLine().getOut());
  }

  /** Standard error, likewise. */
  PrintWriter err() {
    return TerminalWriter.safe(spec.commandLine().getErr());
  }

  void printJson(MessageOrBuilder message) {
    print(JsonFormat.printer(), message);
  }

  /** JSON that shows false, zero and empty fields too, for messages where they are the answer. */
  void printJsonWithDefaults(MessageOrBuilder message) {
    print(JsonFormat.printer().alwaysPrintFieldsWithNoPresence(), message);
  }

  private void print(JsonFormat.Printer printer, MessageOrBuilder message) {
    try {
      out().println(printer.print(message));
      out().flush();
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException(new java.io.IOException(e));
    }
  }
}
