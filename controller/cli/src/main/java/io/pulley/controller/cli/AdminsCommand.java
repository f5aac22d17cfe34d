package io.pulley.controller.cli;

import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.AdminAccount;
import io.pulley.v1.CreateTokenResponse;
import io.pulley.v1.InviteAdminRequest;
import io.pulley.v1.ListAdminsRequest;
import io.pulley.v1.ListAdminsResponse;
import io.pulley.v1.RevokeAdminRequest;
import io.pulley.v1.Role;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "admins",
    description = "Who may use this CLI, and with which role.",
    subcommands = {
      AdminsCommand.Invite.class,
      AdminsCommand.ListAdmins.class,
      AdminsCommand.Revoke.class
    })
final class AdminsCommand {

  /** The roles as the command line spells them. */
  enum RoleName {
    VIEWER(Role.ROLE_VIEWER),
    DEPLOYER(Role.ROLE_DEPLOYER),
    ADMIN(Role.ROLE_ADMIN);

    final Role role;

    RoleName(Role role) {
      this.role = role;
    }
  }

  @Command(
      name = "invite",
      description = "A one-use admin token for NAME, to give them for `pulley login`.")
  static final class Invite extends AccessCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--role", required = true, paramLabel = "viewer|deployer|admin")
    RoleName role;

    @Option(
        names = "--scope",
        paramLabel = "APP/ENV",
        description = "Limits a deployer to these applications/environments ('*' matches any)")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "DURATION", description = "Default 24h")
    String expires = "24h";

    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      CreateTokenResponse token =
          access.inviteAdmin(
              InviteAdminRequest.newBuilder()
                  .setName(name)
                  .setRole(role.role)
                  .addAllScopes(scopes)
                  .setTtlSeconds(TokenCommand.durationOf(expires).toSeconds())
                  .build());
      return printToken(
          token,
          "for "
              + name
              + ", once, until "
              + Formats.time(token.getExpires())
              + ". Shown only now; they run: pulley login --controller HOST:PORT (and paste it)");
    }
  }

  @Command(name = "list", description = "Admins with their roles and scopes.")
  static final class ListAdmins extends AccessCommand {
    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      ListAdminsResponse response = access.listAdmins(ListAdminsRequest.getDefaultInstance());
      if (json()) {
        printJson(response);
        return ExitCodes.OK;
      }
      TextTable table = new TextTable("NAME", "ROLE", "SCOPES", "STATE", "SINCE");
      for (AdminAccount admin : response.getAdminsList()) {
        table.row(
            admin.getName(),
            Formats.role(admin.getRole()),
            admin.getScopesCount() == 0 ? "-" : String.join(",", admin.getScopesList()),
            admin.getRevoked() ? "revoked" : "active",
            Formats.time(admin.getSince()));
      }
      table.print(out());
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", description = "Refuse the admin's certificates from now on.")
  static final class Revoke extends AccessCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(AccessServiceGrpc.AccessServiceBlockingStub access) {
      AdminAccount account =
          access.revokeAdmin(RevokeAdminRequest.newBuilder().setName(name).build());
      if (json()) {
        printJson(account);
      } else {
        out().println("admin " + account.getName() + " revoked");
        out().flush();
      }
      return ExitCodes.OK;
    }
  }
}
