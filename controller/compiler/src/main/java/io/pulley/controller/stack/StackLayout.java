package io.pulley.controller.stack;

import io.pulley.v1.Manifest;
import io.pulley.v1.Stack;
import java.util.List;

/**
 * The names and paths one stack renders to, derived once from the manifest so that every template
 * agrees on them. Immutable.
 *
 * @param application the manifest's application
 * @param environment the manifest's environment
 * @param name the stack name: system user, unit prefix, nginx names
 * @param root the application directory, such as /srv/NAME
 * @param commit the pinned 40-hex-digit commit of the release
 * @param databaseName the PostgreSQL database and role, or empty without a database
 */
public record StackLayout(
    String application,
    String environment,
    String name,
    String root,
    String commit,
    String databaseName) {

  /** The secret holding the database role's password. */
  public static final String DATABASE_PASSWORD_SECRET = "database-password";

  static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * The layout of {@code manifest}, whose Git ref must already be pinned, from its stack with the
   * defaults filled in ({@link StackDefaults#filled}).
   */
  static StackLayout of(Manifest manifest, Stack filled) {
    return new StackLayout(
        manifest.getApplication(),
        manifest.getEnvironment(),
        filled.getName(),
        filled.getRoot(),
        filled.getGit().getCommit(),
        filled.hasDatabase() ? filled.getDatabase().getName() : "");
  }

  String release() {
    return root + "/releases/" + commit;
  }

  /** Where the database's dumps before migrations are kept: root's alone. */
  String dumps() {
    return root + "/dumps";
  }

  String current() {
    return root + "/current";
  }

  /** What every release shares and none deletes: settings, markers of one-time commands. */
  String shared() {
    return root + "/shared";
  }

  /** ROOT/shared/DIR: where a release's shared directory DIR really is. */
  String sharedDir(String dir) {
    return shared() + "/" + dir;
  }

  String config() {
    return shared() + "/config";
  }

  String settingsFile() {
    return config() + "/settings.ini";
  }

  /** The application's environment file ({@link StackEnvironment}). */
  String environmentFile() {
    return config() + "/environment";
  }

  String uwsgiIni() {
    return config() + "/uwsgi.ini";
  }

  String runDir() {
    return "/run/" + name;
  }

  /** The socket path nginx uses: a link to the live instance's own socket. */
  String socket() {
    return runDir() + "/uwsgi.sock";
  }

  /**
   * The link to uWSGI's HTTP socket, which carries WebSocket connections (the uwsgi protocol
   * cannot).
   */
  String httpSocket() {
    return runDir() + "/http.sock";
  }

  /** The plain uWSGI unit of releases before per-release instances; retired by the handover. */
  String uwsgiUnit() {
    return name + "-uwsgi.service";
  }

  /** uWSGI's template unit: one instance per release (or one "live" instance to reload). */
  String uwsgiTemplate() {
    return name + "-uwsgi@.service";
  }

  /** The plain worker unit of releases before per-release workers; retired by the handover. */
  String workerUnit() {
    return name + "-celery-worker.service";
  }

  /** The Celery worker's template unit: one instance per release. */
  String workerTemplate() {
    return name + "-celery-worker@.service";
  }

  String beatUnit() {
    return name + "-celery-beat.service";
  }

  String htpasswdFile() {
    return "/etc/nginx/" + name + ".htpasswd";
  }

  String nginxSiteFile() {
    return "/etc/nginx/sites-enabled/" + name + ".conf";
  }

  /**
   * nginx's response cache of the site: in ROOT, where the agent may write, so that it may empty it
   * on a release switch without being allowed into nginx's own /var/cache/nginx.
   */
  String nginxCache() {
    return root + "/nginx-cache";
  }

  /** The site's error log, where nginx also logs a wrong password (fail2ban reads it). */
  String nginxErrorLog() {
    return "/var/log/nginx/" + name + ".error.log";
  }

  /** A prefix for nginx names (variables, log formats, zones), which allow no '-'. */
  String nginxPrefix() {
    return name.replace('-', '_');
  }

  /** The first line of every rendered file: who wrote it and that edits do not last. */
  String header(String commentPrefix) {
    return commentPrefix
        + " Written by Pulley from the stack section of "
        + application
        + "/"
        + environment
        + "; edits here are overwritten.\n";
  }

  /** The Debian packages of the stack, without duplicates, in a fixed order. */
  static List<String> packages(Stack stack) {
    List<String> names = new java.util.ArrayList<>();
    names.addAll(
        List.of(
            "nginx",
            "uwsgi",
            "uwsgi-plugin-python3",
            "python3-venv",
            "python3-pip",
            "python3-setuptools"));
    if (stack.hasDatabase()) {
      names.add("postgresql");
    }
    if (stack.hasRedis()) {
      names.add("redis-server");
    }
    if (stack.hasFirewall() || stack.hasFail2Ban()) {
      names.add("nftables"); // fail2ban's bans go through nft too
    }
    if (stack.hasFail2Ban()) {
      names.addAll(StackFail2banJails.packages());
    }
    if (stack.hasSecurityUpgrades()) {
      names.add("unattended-upgrades");
    }
    if (stack.getSite().getTls().hasAcme()) {
      names.addAll(StackAcmeCertificate.packages());
    }
    if (!stack.getGit().getDeployKeySecret().isEmpty()) {
      // The agent fetches ssh:// remotes with the system's git and ssh.
      names.add("git");
      names.add("openssh-client");
    }
    for (String extra : stack.getPackagesList()) {
      if (!names.contains(extra)) {
        names.add(extra);
      }
    }
    return List.copyOf(names);
  }
}
