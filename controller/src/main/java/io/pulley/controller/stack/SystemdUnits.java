package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import io.pulley.v1.StackCelery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The systemd units of the stack: uWSGI, the Celery worker and Celery beat. Stateless; every value
 * in them was validated by the stack validator.
 */
final class SystemdUnits {

  static final int DEFAULT_STOP_TIMEOUT = 600;

  // uWSGI's graceful stop waits for running requests, which harakiri bounds; 30 s more for exit.
  private static final int UWSGI_STOP_MARGIN_SECONDS = 30;

  private SystemdUnits() {}

  static String uwsgi(StackLayout layout, Stack stack) {
    return layout.header("#")
        + """
        [Unit]
        Description=uWSGI of %1$s (Pulley)
        After=%2$s

        [Service]
        # uWSGI tells systemd when it accepts requests, so a restart returns once it serves.
        Type=notify
        NotifyAccess=all
        User=%1$s
        Group=%1$s
        # The socket's group is nginx's, so that nginx may connect and nobody else.
        SupplementaryGroups=www-data
        RuntimeDirectory=%1$s
        RuntimeDirectoryPreserve=yes
        WorkingDirectory=/
        ExecStart=/usr/bin/uwsgi --ini %3$s
        KillMode=mixed
        KillSignal=SIGTERM
        TimeoutStopSec=%4$d
        Restart=on-failure

        [Install]
        WantedBy=multi-user.target
        """
            .formatted(
                layout.name(),
                after(stack),
                layout.uwsgiIni(),
                UwsgiIni.harakiri(stack.getWeb()) + UWSGI_STOP_MARGIN_SECONDS);
  }

  static String celeryWorker(StackLayout layout, Stack stack) {
    StackCelery celery = stack.getCelery();
    List<String> arguments = new ArrayList<>(List.of("worker", "-n", layout.name() + "@%%h"));
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
        arguments,
        UwsgiIni.or(celery.getStopTimeoutSeconds(), DEFAULT_STOP_TIMEOUT));
  }

  static String celeryBeat(StackLayout layout, Stack stack) {
    List<String> arguments = List.of("beat", "-s", layout.root() + "/shared/celerybeat/schedule");
    return celeryUnit(layout, stack, "Celery beat", arguments, 0);
  }

  private static String celeryUnit(
      StackLayout layout, Stack stack, String what, List<String> arguments, int stopTimeout) {
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
            .formatted(what, layout.name(), after(stack), layout.current()));
    for (Map.Entry<String, String> variable : StackLayout.environment(layout, stack).entrySet()) {
      unit.append("Environment=\"")
          .append(variable.getKey())
          .append('=')
          .append(variable.getValue().replace("%", "%%"))
          .append("\"\n");
    }
    unit.append("ExecStart=")
        .append(layout.current())
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
