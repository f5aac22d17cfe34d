package io.pulley.packaging.system;

import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * The controller installed from its .deb on a server, used the way its admin would: `pulley login`
 * with the token it writes at first start, then tokens for the agents.
 */
final class PackagedController {
  static final String ADDRESS = "127.0.0.1:7400";
  static final String FIRST_ADMIN_TOKEN = "/var/lib/pulley/controller/initial-admin-token";

  private PackagedController() {}

  /** Logs root's CLI in as the first admin, once the controller has written that token. */
  static void login(PristineServer server) {
    AtomicReference<ExecResult> last = new AtomicReference<>();
    Awaitility.await("pulley login on the server")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              last.set(server.exec("pulley", "login", "--token-file", FIRST_ADMIN_TOKEN));
              return last.get().ok();
            });
  }

  /** A one-use token for a host with label role=ROLE, for the agent on the same server. */
  static Invitation invite(PristineServer server, String role) {
    ExecResult created =
        server.execOrThrow(
            "pulley", "-o", "json", "token", "create", "--label", "role=" + role, "--uses", "1");
    return new Invitation(ADDRESS, Invitation.tokenFromJson(created.stdout(), created.describe()));
  }
}
