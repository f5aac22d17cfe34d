package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reloads nginx and waits until its old worker processes have exited. {@code systemctl reload}
 * returns once the master has been signalled; until the old workers are gone they still accept
 * connections and close them after a request or two (graceful shutdown), which a load generator
 * started in that window counts as read errors that no deploy caused.
 */
final class NginxReload {
  private static final Duration OLD_WORKERS_TIMEOUT = Duration.ofSeconds(60);

  private NginxReload() {}

  static void andWaitForOldWorkers(PristineServer server) throws InterruptedException {
    List<String> old = workers(server);
    server.execOrThrow("systemctl", "reload", "nginx");
    Instant end = Instant.now().plus(OLD_WORKERS_TIMEOUT);
    while (!old.isEmpty() && alive(server, old)) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("nginx's old workers " + old + " did not exit");
      }
      Thread.sleep(100);
    }
  }

  private static List<String> workers(PristineServer server) {
    // /proc, not pgrep or ps: a minbase server has no procps.
    String master = server.execOrThrow("cat", "/run/nginx.pid").stdout().strip();
    String children =
        server
            .execOrThrow("cat", "/proc/" + master + "/task/" + master + "/children")
            .stdout()
            .strip();
    if (children.isEmpty()) {
      throw new IllegalStateException("nginx's master " + master + " has no worker processes");
    }
    return List.of(children.split("\\s+"));
  }

  private static boolean alive(PristineServer server, List<String> pids) {
    return pids.stream().anyMatch(pid -> server.exec("test", "-e", "/proc/" + pid).ok());
  }
}
