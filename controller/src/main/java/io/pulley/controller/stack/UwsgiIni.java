package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import io.pulley.v1.StackWeb;
import java.util.Map;

/**
 * The uWSGI configuration, ROOT/shared/config/uwsgi.ini: the python3 plugin, the release's venv
 * reached through {@code current}, a Unix socket nginx may use, and a graceful stop on SIGTERM.
 * Requests are logged by nginx only: a uWSGI line per request would flood the journal. Stateless;
 * every value in it was validated by the stack validator.
 */
final class UwsgiIni {

  static final int DEFAULT_THREADS = 4;
  static final int DEFAULT_HARAKIRI = 300;
  static final int DEFAULT_MAX_REQUESTS = 500;
  static final int DEFAULT_LISTEN = 100;
  static final int DEFAULT_BUFFER_SIZE = 8192;

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
            .formatted(layout.current(), wsgiModule(web.getWsgi())));
    for (Map.Entry<String, String> variable : StackLayout.environment(layout, stack).entrySet()) {
      // uWSGI expands %-magic in every value; %% is a literal percent sign.
      ini.append("env = ")
          .append(variable.getKey())
          .append('=')
          .append(variable.getValue().replace("%", "%%"))
          .append('\n');
    }
    ini.append(
        """
        socket = %1$s
        chmod-socket = 660
        chown-socket = %2$s:www-data
        processes = %3$s
        threads = %4$d
        enable-threads = true
        harakiri = %5$d
        max-requests = %6$d
        listen = %7$d
        buffer-size = %8$d
        stats = %9$s/stats.sock
        need-app = true
        vacuum = true
        disable-logging = true
        hook-master-start = unix_signal:15 gracefully_kill_them_all
        """
            .formatted(
                layout.socket(),
                layout.name(),
                web.getProcesses() == 0 ? "%k" : Integer.toString(web.getProcesses()),
                or(web.getThreads(), DEFAULT_THREADS),
                harakiri(web),
                or(web.getMaxRequests(), DEFAULT_MAX_REQUESTS),
                or(web.getListen(), DEFAULT_LISTEN),
                or(web.getBufferSize(), DEFAULT_BUFFER_SIZE),
                layout.runDir()));
    if (stack.getSite().getWebsocket()) {
      ini.append("http-socket = ").append(layout.httpSocket()).append('\n');
      ini.append("http-websockets = true\n");
    }
    return ini.toString();
  }

  static int harakiri(StackWeb web) {
    return or(web.getHarakiri(), DEFAULT_HARAKIRI);
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

  static int or(int value, int fallback) {
    return value == 0 ? fallback : value;
  }
}
