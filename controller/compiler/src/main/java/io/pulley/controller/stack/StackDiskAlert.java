package io.pulley.controller.stack;

import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import java.util.List;

/**
 * The playbook's hourly disk-usage alert: a systemd timer that runs a short sh script, which mails
 * root (and so the mail section's root_to) when a local file system has reached the threshold. It
 * mails every hour while the disk stays that full, as the playbook's cron job did: a full disk is
 * worth a reminder. Stateless.
 */
final class StackDiskAlert {
  static final int PERCENT = 80;
  static final String DIR = "/etc/pulley/mail";
  static final String SCRIPT = DIR + "/disk-alert";
  static final String UNIT = "pulley-disk-alert";
  static final String SCRIPT_ID = "file:disk-alert";
  static final String SERVICE_ID = "service:disk-alert";
  static final String TIMER_ID = "service:disk-alert-timer";

  private StackDiskAlert() {}

  /** The script, its oneshot unit and the timer; empty when the alert is off. */
  static List<Resource> render(StackLayout layout, Stack filled) {
    int percent = filled.getMail().getDiskAlertPercent();
    if (percent < 0) {
      return List.of();
    }
    Resource directory = StackRenderer.directory(DIR, "root", "root", "0755");
    Resource script =
        StackRenderer.file(SCRIPT_ID, StackRenderer.publicFile(SCRIPT, script(layout, percent)));
    Resource service =
        StackRenderer.timerStarted(SERVICE_ID, UNIT + ".service", serviceUnit(layout, percent));
    Resource timer =
        StackRenderer.service(TIMER_ID, UNIT + ".timer", timerUnit(layout), List.of(), List.of());
    return List.of(directory, script, service, timer);
  }

  static String script(StackLayout layout, int percent) {
    return "#!/bin/sh\n"
        + layout.header("#")
        + "# Mails root when a local file system has reached "
        + percent
        + "% of its space.\n"
        + "set -eu\n"
        + "report=$(df -P -l -x tmpfs -x devtmpfs -x squashfs -x overlay 2> /dev/null"
        + " | awk -v limit="
        + percent
        + " 'NR > 1 { use = $5; sub(/%/, \"\", use);"
        + " if (use + 0 >= limit) printf \"%s is %s%% full, %d MiB free\\n\", $6, use, $4 / 1024 }')"
        + " || true\n"
        + "[ -n \"$report\" ] || exit 0\n"
        + "host=$(hostname --fqdn 2> /dev/null || hostname)\n"
        + "printf 'To: root\\nSubject: %s: disk usage at "
        + percent
        + "%% or more\\n\\n%s\\n' \"$host\" \"$report\""
        + " | /usr/sbin/sendmail -oi -t\n";
  }

  static String serviceUnit(StackLayout layout, int percent) {
    return layout.header("#")
        + "[Unit]\n"
        + "Description=Mail root when a file system is "
        + percent
        + "% full\n"
        + "After=postfix.service\n\n"
        + "[Service]\n"
        + "Type=oneshot\n"
        + "ExecStart=/bin/sh "
        + SCRIPT
        + "\n";
  }

  static String timerUnit(StackLayout layout) {
    return layout.header("#")
        + "[Unit]\n"
        + "Description=Hourly disk-usage check\n\n"
        + "[Timer]\n"
        + "OnCalendar=hourly\n"
        + "RandomizedDelaySec=300\n"
        + "Persistent=true\n\n"
        + "[Install]\n"
        + "WantedBy=timers.target\n";
  }
}
