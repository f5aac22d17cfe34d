package io.pulley.controller.cli;

import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminAccount;
import io.pulley.v1.WhoAmIRequest;
import picocli.CommandLine.Command;

@Command(name = "whoami", description = "Who the controller takes you for, with your role.")
final class WhoAmICommand extends AccessCommand {

  @Override
  int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
    AdminAccount account = access.whoAmI(WhoAmIRequest.getDefaultInstance());
    if (json()) {
      printJson(account);
    } else {
      out().println(describe(account));
      out().flush();
    }
    return ExitCodes.OK;
  }

  static String describe(AdminAccount account) {
    return "admin "
        + account.getName()
        + ", role "
        + Formats.role(account.getRole())
        + (account.getScopesCount() == 0
            ? ""
            : ", scopes " + String.join(",", account.getScopesList()));
  }
}
