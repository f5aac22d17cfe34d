package io.pulley.controller.manifest;

import java.util.Set;

/**
 * Names a stack cannot take, because the stack's name becomes a system user and group, a runtime
 * directory under /run and a home under /srv: an account Debian or a service the stack installs
 * already owns would hand that account's files to the application (a stack named {@code postgres}
 * would run its code as the database's superuser), and systemd keeps {@code private} under /run and
 * /var/lib for its own use (uWSGI of a stack named so cannot bind its socket).
 */
final class ReservedStackNames {
  private static final Set<String> RESERVED =
      Set.of(
          // Debian's base accounts (base-passwd) and those of a minimal server.
          "root",
          "daemon",
          "bin",
          "sys",
          "sync",
          "games",
          "man",
          "lp",
          "mail",
          "news",
          "uucp",
          "proxy",
          "www-data",
          "backup",
          "list",
          "irc",
          "gnats",
          "nobody",
          "nogroup",
          "staff",
          "users",
          "adm",
          "sudo",
          "shadow",
          "utmp",
          "messagebus",
          "sshd",
          "polkitd",
          // The services a stack installs, and Pulley's own.
          "postgres",
          "redis",
          "nginx",
          "uwsgi",
          "celery",
          "pulley",
          "pulley-agent",
          // systemd's directory for dynamic users and private runtime data.
          "private",
          "systemd");

  private ReservedStackNames() {}

  /** Why {@code name} cannot name a stack, or empty if it can. */
  static String reason(String name) {
    if (RESERVED.contains(name) || name.startsWith("systemd-")) {
      return "\""
          + name
          + "\" is a name the system or one of its services already uses for an account or a"
          + " directory; name the stack after the application, such as \"shop\" (set stack.name)";
    }
    return "";
  }
}
