package io.pulley.controller.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.pulley.v1.AdminServiceGrpc;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand that talks to the controller's AdminService. */
abstract class ClientCommand implements Callable<Integer> {
  @ParentCommand PulleyMain root;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    try (ControllerConnection connection = new ControllerConnection(root.controller)) {
      return run(connection.admin());
    }
  }

  abstract int run(AdminServiceGrpc.AdminServiceBlockingStub admin);

  boolean json() {
    return root.output == OutputFormat.JSON;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  void printJson(MessageOrBuilder message) {
    try {
      out().println(JsonFormat.printer().print(message));
      out().flush();
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException(new java.io.IOException(e));
    }
  }
}
