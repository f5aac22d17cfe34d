package io.pulley.controller.stack;

import io.pulley.v1.Stack;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack's part of the message of the day: what an admin who logs in needs to find the site's
 * code, logs, units and dumps, as the playbook's motd listed them. Plain text in {@code
 * /etc/motd.d/}, which pam_motd shows after the other messages (Debian's sshd and login call it).
 * Stateless.
 */
final class StackMotd {
  static final String DIR = "/etc/motd.d";

  private StackMotd() {}

  /** The file, one per stack: {@code /etc/motd.d/pulley-NAME}. */
  static String path(StackLayout layout) {
    return DIR + "/pulley-" + layout.name();
  }

  static String render(StackLayout layout, Stack stack) {
    String name = layout.name();
    List<String> units = new ArrayList<>(List.of("'" + name + "-uwsgi@*'"));
    if (stack.hasCelery()) {
      if (!stack.getCelery().getNoWorker()) {
        units.add("'" + name + "-celery-worker@*'");
      }
      if (stack.getCelery().getBeat()) {
        units.add(name + "-celery-beat");
      }
    }
    StringBuilder text = new StringBuilder();
    text.append('\n')
        .append(layout.application())
        .append('/')
        .append(layout.environment())
        .append(" is deployed by Pulley: its manifest, not this server, is where to change it.\n")
        .append(
            line(
                "site",
                (stack.getSite().hasTls() ? "https://" : "http://")
                    + stack.getSite().getDomains(0)
                    + "/"))
        .append(line("code", layout.current() + " (the live release; older ones beside it)"))
        .append(line("config", layout.config() + "/ (rewritten at each apply)"))
        .append(
            line(
                "logs",
                "/var/log/nginx/" + name + ".access.log, /var/log/nginx/" + name + ".error.log"))
        .append(line("", "journalctl -u " + String.join(" -u ", units)))
        .append(line("units", "systemctl list-units '" + name + "-*'"));
    if (stack.hasDatabase()) {
      text.append(
          line(
              "database",
              layout.databaseName()
                  + ": runuser -u postgres -- psql "
                  + layout.databaseName()
                  + (stack.getDatabase().getDumps().getDisabled()
                      ? ""
                      : "; dumps before migrations in " + layout.dumps() + "/")));
    }
    if (stack.hasMail()) {
      text.append(
          line(
              "mail",
              "mailq; journalctl -t postfix/smtp (through " + stack.getMail().getRelay() + ")"));
    }
    text.append(line("agent", "journalctl -u pulley-agent; what it applied: pulley status HOST"))
        .append('\n');
    return text.toString();
  }

  private static String line(String label, String value) {
    return String.format("  %-9s %s\n", label.isEmpty() ? "" : label + ":", value);
  }
}
