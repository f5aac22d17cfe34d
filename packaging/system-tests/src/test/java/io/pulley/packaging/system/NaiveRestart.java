package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;

/**
 * The web negative control: the live release served by a second uWSGI under a unit like Debian's
 * own uwsgi-app@.service (SIGQUIT to stop, the whole control group killed), behind its own nginx
 * server on port 8081, restarted with `systemctl restart` under wrk's load. It must show failed
 * requests: if it does not, the harness cannot see failures and the handover's zero proves nothing.
 */
final class NaiveRestart {
  static final int PORT = 8081;
  private static final String UNIT = "uwsgi-control.service";
  private static final String ACCESS_LOG = "/var/log/nginx/control.access.log";
  private static final String ERROR_LOG = "/var/log/nginx/control.error.log";

  /** What the restarts cost. */
  record Outcome(
      int restarts, long requests, long failed, long upstreamErrors, long socketErrors) {}

  private final PristineServer server;
  private final String domain;

  private NaiveRestart(PristineServer server, String domain) {
    this.server = server;
    this.domain = domain;
  }

  /** Sets the control up beside the stack {@code name}, on its current release. */
  static NaiveRestart install(PristineServer server, String name, String domain)
      throws InterruptedException {
    String root = "/srv/" + name;
    server.writeFile(
        "/etc/uwsgi-control.ini",
        """
        [uwsgi]
        plugins = python3
        master = true
        chdir = %1$s/current
        home = %1$s/current/venv
        module = pulley_sample.wsgi:application
        env = PULLEY_SETTINGS=%1$s/shared/config/settings.ini
        socket = /run/uwsgi-control/socket
        chmod-socket = 666
        processes = 3
        need-app = true
        disable-logging = true
        """
            .formatted(root));
    server.writeFile(
        "/etc/systemd/system/" + UNIT,
        """
        # As Debian's uwsgi-app@.service: SIGQUIT stops uWSGI at once, dropping what it serves.
        [Unit]
        Description=uWSGI, Debian style (negative control)

        [Service]
        Type=notify
        NotifyAccess=all
        User=%1$s
        Group=%1$s
        RuntimeDirectory=uwsgi-control
        ExecStart=/usr/bin/uwsgi --ini /etc/uwsgi-control.ini
        KillSignal=SIGQUIT
        """
            .formatted(name));
    // After the stack's site in include order: its log format is declared there.
    server.writeFile(
        "/etc/nginx/sites-enabled/zz-control.conf",
        """
        server {
            listen %1$d;
            server_name %2$s;
            access_log %3$s %4$s_pulley;
            error_log %5$s;
            location / {
                uwsgi_pass unix:/run/uwsgi-control/socket;
                include uwsgi_params;
            }
        }
        """
            .formatted(PORT, domain, ACCESS_LOG, name.replace('-', '_'), ERROR_LOG));
    server.execOrThrow("systemctl", "daemon-reload");
    server.execOrThrow("systemctl", "start", UNIT);
    server.execOrThrow("nginx", "-t");
    NginxReload.andWaitForOldWorkers(server);
    return new NaiveRestart(server, domain);
  }

  /** {@code restarts} restarts, 3 s apart, under wrk; what nginx and wrk saw. */
  Outcome run(int restarts) throws InterruptedException {
    server.execOrThrow("truncate", "-s", "0", ACCESS_LOG);
    server.execOrThrow("truncate", "-s", "0", ERROR_LOG, "/var/log/nginx/error.log");
    LoadGenerator wrk = LoadGenerator.wrk(server, "wrk-control", domain, PORT, 8);
    LoadGenerator.Summary summary;
    try {
      Thread.sleep(3000);
      for (int i = 0; i < restarts; i++) {
        server.execOrThrow("systemctl", "restart", UNIT);
        Thread.sleep(3000);
      }
    } finally {
      summary = wrk.stop();
    }
    AccessLog log = AccessLog.parse(server.execOrThrow("cat", ACCESS_LOG).stdout());
    return new Outcome(
        restarts,
        log.requests(),
        log.failed(),
        HandoverProof.upstreamErrors(server, ERROR_LOG).size(),
        summary.socketErrors() + summary.readErrors());
  }
}
