package io.pulley.packaging.system;

import io.pulley.packaging.harness.ExecResult;
import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.time.Instant;

/**
 * The controller installed from its .deb on a server, used the way its admin would: `pulley login`
 * with the token it writes at first start, then tokens for the agents.
 */
final class PackagedController {
  static final int PORT = 7400;
  static final String ADDRESS = "127.0.0.1:" + PORT;
  static final String FIRST_ADMIN_TOKEN = "/var/lib/pulley/controller/initial-admin-token";

  private PackagedController() {}

  /**
   * Logs root's CLI in as the first admin, once the controller has written that token. A plain
   * loop, not Awaitility: the benchmarks and the demo run this class without the test libraries.
   */
  static void login(PristineServer server) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    ExecResult last = server.exec("pulley", "login", "--token-file", FIRST_ADMIN_TOKEN);
    while (!last.ok()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("pulley login on the server failed: " + last.describe());
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for pulley login", e);
      }
      last = server.exec("pulley", "login", "--token-file", FIRST_ADMIN_TOKEN);
    }
  }

  /** A one-use token for a host with label role=ROLE, for the agent on the same server. */
  static Invitation invite(PristineServer server, String role) {
    ExecResult created =
        server.execOrThrow(
            "pulley", "-o", "json", "token", "create", "--label", "role=" + role, "--uses", "1");
    return new Invitation(ADDRESS, Invitation.tokenFromJson(created.stdout(), created.describe()));
  }
}
