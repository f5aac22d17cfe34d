package io.pulley.controller.cli;

import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.CreateTokenResponse;
import io.pulley.v1.Enrolment;

/** A subcommand that talks to the controller's AccessService (tokens, hosts' access, admins). */
abstract class AccessCommand extends ClientCommand {

  @Override
  final int run(ControllerConnection connection) {
    return run(connection.access());
  }

  @Override
  final int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    throw new IllegalStateException("access commands run through run(AccessServiceBlockingStub)");
  }

  abstract int run(AccessServiceGrpc.AccessServiceBlockingStub access);

  /** A new token, once, then how to use it; or its JSON. */
  int printToken(CreateTokenResponse token, String... hints) {
    if (json()) {
      printJson(token);
      return ExitCodes.OK;
    }
    out().println(token.getToken());
    out().println();
    for (String hint : hints) {
      out().println(hint);
    }
    out().flush();
    return ExitCodes.OK;
  }

  /** One line about a host's enrolment, or its JSON. */
  void printEnrolment(Enrolment enrolment) {
    if (json()) {
      printJson(enrolment);
      return;
    }
    out()
        .println(
            "host "
                + enrolment.getHostId()
                + ": "
                + Formats.state(enrolment.getState())
                + ", labels "
                + Formats.labels(enrolment.getLabelsMap()));
    out().flush();
  }
}
