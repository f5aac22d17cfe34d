package io.pulley.controller.stack;

import io.pulley.v1.HandoverMode;
import io.pulley.v1.Stack;
import io.pulley.v1.StackWeb;

/**
 * The uWSGI configuration, ROOT/shared/config/uwsgi.ini, shared by the instances of the template
 * unit: $(PULLEY_INSTANCE) (the unit's instance, a commit or "live") names the release and the
 * instance's own socket, master FIFO, stats socket and readiness file. The application's
 * environment comes from the unit's EnvironmentFile=, not from here, so no secret is in this file
 * (uWSGI would also expand %-magic and $(VARIABLES) in an env line). The python3 plugin, a graceful
 * stop on SIGTERM, and need-app, so that a release that cannot load never starts. Requests are
 * logged by nginx only: a uWSGI line per request would flood the journal. Stateless; every value in
 * it was validated by the stack validator, and defaults are filled in.
 */
final class UwsgiIni {

  /** uWSGI expands this environment variable, set by the template unit, in every value. */
  private static final String INSTANCE = "$(PULLEY_INSTANCE)";

  private UwsgiIni() {}

  static String render(StackLayout layout, Stack stack) {
    StackWeb web = stack.getWeb();
    StringBuilder ini = new StringBuilder(layout.header("#"));
    ini.append(
        """
        [uwsgi]
        plugins = python3
        master = true
        chdir = %1$s
        home = %1$s/venv
        module = %2$s
        """
            .formatted(codeDirectory(layout, web), wsgiModule(web.getWsgi())));
    ini.append(
        """
        socket = %1$s/%9$s.sock
        chmod-socket = 660
        chown-socket = %2$s:www-data
        processes = %3$s
        threads = %4$d
        enable-threads = true
        harakiri = %5$d
        max-requests = %6$d
        listen = %7$d
        buffer-size = %8$d
        stats = %1$s/%9$s.stats
        master-fifo = %1$s/%9$s.fifo
        hook-accepting1-once = create:%1$s/%9$s.ready
        need-app = true
        vacuum = true
        disable-logging = true
        hook-master-start = unix_signal:15 gracefully_kill_them_all
        """
            .formatted(
                layout.runDir(),
                layout.name(),
                // Unset, one per CPU: uWSGI's %k counts them on the host.
                web.getProcesses() == 0 ? "%k" : Integer.toString(web.getProcesses()),
                web.getThreads(),
                web.getHarakiri(),
                web.getMaxRequests(),
                web.getListen(),
                web.getBufferSize(),
                INSTANCE));
    if (stack.getSite().getWebsocket()) {
      ini.append("http-socket = ")
          .append(layout.runDir())
          .append('/')
          .append(INSTANCE)
          .append(".http.sock\n");
      ini.append("http-websockets = true\n");
    }
    return ini.toString();
  }

  /** Whether the web tier is handed over by reloading one instance rather than a new instance. */
  static boolean reloads(StackWeb web) {
    return web.getHandoverMode() == HandoverMode.HANDOVER_MODE_RELOAD;
  }

  /**
   * Where an instance finds its code: its own release, or (reloading one instance) current, which
   * the handover moves just before the reload.
   */
  private static String codeDirectory(StackLayout layout, StackWeb web) {
    return reloads(web) ? layout.current() : layout.root() + "/releases/" + INSTANCE;
  }

  /**
   * "module:callable" as uWSGI's {@code module} option takes it; a bare module means "application".
   */
  static String wsgiModule(String wsgi) {
    return wsgi.contains(":") ? wsgi : wsgi + ":application";
  }

  /** The importable module of a "module:callable" reference. */
  static String importable(String reference) {
    int colon = reference.indexOf(':');
    return colon < 0 ? reference : reference.substring(0, colon);
  }
}
