package io.pulley.controller.cli;

import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.CreateTokenRequest;
import io.pulley.v1.CreateTokenResponse;
import io.pulley.v1.DeleteTokenRequest;
import io.pulley.v1.IdentityKind;
import io.pulley.v1.ListTokensRequest;
import io.pulley.v1.ListTokensResponse;
import io.pulley.v1.TokenInfo;
import io.pulley.wire.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "token",
    description = "Bootstrap tokens that enrol hosts.",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Delete.class
    })
final class TokenCommand {

  @Command(
      name = "create",
      description = "A token for enrolling hosts; printed once, the controller keeps its hash.")
  static final class Create extends AccessCommand {
    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Bound to every host")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--uses", paramLabel = "N", description = "Hosts it may enrol (default 1)")
    int uses = 1;

    @Option(
        names = "--expires",
        paramLabel = "DURATION",
        description = "Valid for this long: 90s, 30m, 24h, 7d (default 24h)")
    String expires = "24h";

    @Option(names = "--description", paramLabel = "TEXT")
    String description = "";

    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      CreateTokenResponse token =
          access.createToken(
              CreateTokenRequest.newBuilder()
                  .putAllLabels(labels)
                  .setUses(uses)
                  .setTtlSeconds(durationOf(expires).toSeconds())
                  .setDescription(description)
                  .build());
      return printToken(
          token,
          "token "
              + token.getId()
              + " until "
              + Formats.time(token.getExpires())
              + ". It is shown only now. On each host, as root:",
          "  install -m 600 /dev/null /etc/pulley/agent.token && cat > /etc/pulley/agent.token",
          "  (paste the token, Ctrl-D), then: systemctl restart pulley-agent");
    }
  }

  @Command(name = "list", description = "Tokens that can still be used (never their secrets).")
  static final class ListTokens extends AccessCommand {
    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      ListTokensResponse response = access.listTokens(ListTokensRequest.getDefaultInstance());
      if (json()) {
        printJson(response);
        return ExitCodes.OK;
      }
      TextTable table =
          new TextTable("ID", "FOR", "USES LEFT", "EXPIRES", "CREATED BY", "DESCRIPTION");
      for (TokenInfo token : response.getTokensList()) {
        table.row(
            token.getId(),
            token.getKind() == IdentityKind.IDENTITY_KIND_ADMIN
                ? "admin " + token.getAdminName() + " (" + Formats.role(token.getRole()) + ")"
                : "hosts " + Formats.labels(token.getLabelsMap()),
            token.getUsesLeft(),
            Formats.time(token.getExpires()),
            token.getCreatedBy(),
            token.getDescription());
      }
      table.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", description = "The token cannot be used any more.")
  static final class Delete extends AccessCommand {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      access.deleteToken(DeleteTokenRequest.newBuilder().setId(id).build());
      if (!json()) {
        out().println("token " + id + " deleted");
        out().flush();
      }
      return ExitCodes.OK;
    }
  }

  /** "90s", "30m", "24h", "7d". */
  static Duration durationOf(String text) {
    return Durations.parse(text, 9)
        .orElseThrow(
            () ->
                new CliException(
                    "--expires '" + text + "': expected a number and s, m, h or d (24h)",
                    ExitCodes.USAGE));
  }
}
