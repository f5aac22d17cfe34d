package io.pulley.controller.stack;

import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackFail2ban;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * fail2ban for a stack: its jails in {@code /etc/fail2ban/jail.d/pulley-NAME.local}, and the
 * service reloaded when they change. The sshd jail reads the journal; the site's jail (with a
 * password, site.htpasswd) reads the site's nginx error log, where a wrong password is logged. Bans
 * go through nftables (fail2ban's own table, beside the firewall's), on the jail's ports only: a
 * mistyped staging password never bans its author from SSH.
 */
final class StackFail2banJails {
  static final String SERVICE_ID = "service:fail2ban";
  static final String FILE_ID = "file:fail2ban";
  static final int MAX_RETRY = 5;
  static final int FIND_TIME_SECONDS = 600;
  static final int BAN_TIME_SECONDS = 600;

  private StackFail2banJails() {}

  /** The Debian packages: fail2ban, and python3-systemd for its journal backend. */
  static List<String> packages() {
    return List.of("fail2ban", "python3-systemd");
  }

  /** The jails' file and the service; empty without a fail2ban section. */
  static List<Resource> render(StackLayout layout, Stack filled) {
    if (!filled.hasFail2Ban()) {
      return List.of();
    }
    List<Resource> resources = new ArrayList<>();
    resources.add(
        StackRenderer.file(FILE_ID, StackRenderer.publicFile(path(layout), jails(layout, filled))));
    resources.add(
        StackRenderer.service(SERVICE_ID, "fail2ban.service", "", List.of(), List.of(FILE_ID)));
    return resources;
  }

  static String path(StackLayout layout) {
    return "/etc/fail2ban/jail.d/pulley-" + layout.name() + ".local";
  }

  /** The jail of the site's password, named after the stack. */
  static String siteJail(StackLayout layout) {
    return "pulley-" + layout.name() + "-auth";
  }

  static String jails(StackLayout layout, Stack filled) {
    StackFail2ban section = filled.getFail2Ban();
    String limits =
        "maxretry = "
            + or(section.getMaxRetry(), MAX_RETRY)
            + "\nfindtime = "
            + or(section.getFindTimeSeconds(), FIND_TIME_SECONDS)
            + "\nbantime = "
            + or(section.getBanTimeSeconds(), BAN_TIME_SECONDS)
            + "\nignoreip = 127.0.0.1/8 ::1"
            + (section.getIgnoreFromCount() == 0
                ? ""
                : " " + String.join(" ", section.getIgnoreFromList()))
            + "\nbanaction = nftables-multiport\n";
    TreeSet<Integer> sshPorts = new TreeSet<>(List.of(22));
    sshPorts.addAll(filled.getFirewall().getSshPortsList());
    StringBuilder text = new StringBuilder(layout.header("#"));
    text.append("\n[sshd]\nenabled = true\nbackend = systemd\nport = ")
        .append(join(sshPorts))
        .append('\n')
        .append(limits);
    if (filled.getSite().getHtpasswdCount() > 0) {
      TreeSet<Integer> sitePorts = new TreeSet<>(List.of(filled.getSite().getHttpPort()));
      if (filled.getSite().hasTls()) {
        sitePorts.add(filled.getSite().getTls().getPort());
      }
      text.append("\n[")
          .append(siteJail(layout))
          .append("]\nenabled = true\nfilter = nginx-http-auth\nbackend = polling\nlogpath = ")
          .append(layout.nginxErrorLog())
          .append("\nport = ")
          .append(join(sitePorts))
          .append('\n')
          .append(limits);
    }
    return text.toString();
  }

  private static String join(TreeSet<Integer> ports) {
    return String.join(",", ports.stream().map(String::valueOf).toList());
  }

  private static int or(int value, int defaultValue) {
    return value == 0 ? defaultValue : value;
  }
}
