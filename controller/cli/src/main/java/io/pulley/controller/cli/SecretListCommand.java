package io.pulley.controller.cli;

import io.pulley.v1.AdminServiceGrpc;
import io.pulley.v1.ListSecretsRequest;
import io.pulley.v1.ListSecretsResponse;
import io.pulley.v1.SecretInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "list",
    description =
        "List the secrets of an application in an environment: name, generated or set, and when;"
            + " never values.")
final class SecretListCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "APP")
  String application;

  @Parameters(index = "1", paramLabel = "ENV")
  String environment;

  @Override
  int run(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    ListSecretsResponse response =
        admin.listSecrets(
            ListSecretsRequest.newBuilder()
                .setApplication(application)
                .setEnvironment(environment)
                .build());
    if (json()) {
      printJsonWithDefaults(response);
      return ExitCodes.OK;
    }
    if (response.getSecretsCount() == 0) {
      out().println("no secrets of " + application + "/" + environment);
      out().flush();
      return ExitCodes.OK;
    }
    TextTable table = new TextTable("NAME", "SOURCE", "UPDATED");
    for (SecretInfo secret : response.getSecretsList()) {
      table.row(
          secret.getName(),
          secret.getGenerated() ? "generated" : "set",
          Formats.time(secret.getUpdatedAt()));
    }
    table.print(out());
    return ExitCodes.OK;
  }
}
