package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import io.pulley.v1.StackCelery;
import java.util.ArrayList;
import java.util.List;

/**
 * The systemd units of the stack: uWSGI and the Celery worker as templates (an instance per
 * release), Celery beat as one unit that follows current. Stateless; every value in them was
 * validated by the stack validator, and defaults are filled in.
 */
final class SystemdUnits {

  // uWSGI's graceful stop waits for running requests, which harakiri bounds; 30 s more for exit.
  private static final int UWSGI_STOP_MARGIN_SECONDS = 30;

  private SystemdUnits() {}

  /**
   * uWSGI's template unit, one instance per release (or one "live" instance to reload). Started
   * from / with an absolute --ini, as a reload returns to the first working directory; stopped by
   * SIGTERM to the master only, which the ini turns into a graceful stop.
   */
  static String uwsgi(StackLayout layout, Stack stack) {
    StringBuilder unit = new StringBuilder(layout.header("#"));
    unit.append(
        """
        [Unit]
        Description=uWSGI of %1$s, instance %%i (Pulley)
        After=%2$s

        [Service]
        # uWSGI tells systemd when its app has loaded, so a start returns once it can serve.
        Type=notify
        NotifyAccess=all
        User=%1$s
        Group=%1$s
        # The socket's group is nginx's, so that nginx may connect and nobody else.
        SupplementaryGroups=www-data
        RuntimeDirectory=%1$s
        RuntimeDirectoryPreserve=yes
        # The ini names the release, socket, FIFO and readiness file after the instance.
        Environment=PULLEY_INSTANCE=%%i
        %4$s
        WorkingDirectory=/
        ExecStart=/usr/bin/uwsgi --ini %3$s
        """
            .formatted(layout.name(), after(stack), layout.uwsgiIni(), environmentFile(layout)));
    // At boot /run is empty: the enabled (live) instance links the path nginx uses. During a
    // handover the link exists, ln fails harmlessly, and only the agent's rename moves it.
    unit.append("ExecStartPost=-/usr/bin/ln -s %i.sock ").append(layout.socket()).append('\n');
    if (stack.getSite().getWebsocket()) {
      unit.append("ExecStartPost=-/usr/bin/ln -s %i.http.sock ")
          .append(layout.httpSocket())
          .append('\n');
    }
    unit.append(
        """
        KillMode=mixed
        KillSignal=SIGTERM
        TimeoutStopSec=%d
        Restart=on-failure

        [Install]
        WantedBy=multi-user.target
        """
            .formatted(stack.getWeb().getHarakiri() + UWSGI_STOP_MARGIN_SECONDS));
    return unit.toString();
  }

  /**
   * The Celery worker's template unit, one instance per release, with a node name of its own so
   * that the new worker runs beside the old one on the same queues.
   */
  static String celeryWorker(StackLayout layout, Stack stack) {
    StackCelery celery = stack.getCelery();
    List<String> arguments = new ArrayList<>(List.of("worker", "-n", layout.name() + "-%i@%%h"));
    if (celery.getQueuesCount() > 0) {
      arguments.add("-Q");
      arguments.add(String.join(",", celery.getQueuesList()));
    }
    if (celery.getConcurrency() > 0) {
      arguments.add("--concurrency");
      arguments.add(Integer.toString(celery.getConcurrency()));
    }
    return celeryUnit(
        layout,
        stack,
        "Celery worker",
        layout.root() + "/releases/%i",
        arguments,
        celery.getStopTimeoutSeconds());
  }

  static String celeryBeat(StackLayout layout, Stack stack) {
    List<String> arguments = List.of("beat", "-s", layout.root() + "/shared/celerybeat/schedule");
    return celeryUnit(layout, stack, "Celery beat", layout.current(), arguments, 0);
  }

  private static String celeryUnit(
      StackLayout layout,
      Stack stack,
      String what,
      String code,
      List<String> arguments,
      int stopTimeout) {
    StringBuilder unit = new StringBuilder(layout.header("#"));
    unit.append(
        """
        [Unit]
        Description=%1$s of %2$s (Pulley)
        After=%3$s

        [Service]
        User=%2$s
        Group=%2$s
        WorkingDirectory=%4$s
        """
            .formatted(what, layout.name(), after(stack), code));
    unit.append(environmentFile(layout)).append('\n');
    unit.append("ExecStart=")
        .append(code)
        .append("/venv/bin/python -m celery -A ")
        .append(stack.getCelery().getApp())
        .append(' ')
        .append(String.join(" ", arguments))
        .append(" --loglevel INFO\n")
        .append("KillMode=mixed\n");
    if (stopTimeout > 0) {
      unit.append("TimeoutStopSec=").append(stopTimeout).append('\n');
    }
    unit.append(
        """
        Restart=on-failure

        [Install]
        WantedBy=multi-user.target
        """);
    return unit.toString();
  }

  /**
   * The application's variables, secrets among them, which systemd reads when it starts the unit: a
   * changed file takes a restart (the handover's fresh_start_on), never a graceful reload.
   */
  private static String environmentFile(StackLayout layout) {
    return "EnvironmentFile=" + layout.environmentFile();
  }

  private static String after(Stack stack) {
    List<String> units = new ArrayList<>(List.of("network.target"));
    if (stack.hasDatabase()) {
      units.add("postgresql.service");
    }
    if (stack.hasRedis()) {
      units.add("redis-server.service");
    }
    return String.join(" ", units);
  }
}
