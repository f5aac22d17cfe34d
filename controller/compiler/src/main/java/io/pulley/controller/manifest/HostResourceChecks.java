package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.v1.Database;
import io.pulley.v1.DatabaseDump;
import io.pulley.v1.Group;
import io.pulley.v1.Package;
import io.pulley.v1.Service;
import io.pulley.v1.User;
import java.util.List;

/**
 * Checks the resources that change the host itself: packages, groups, users, services, databases
 * and their dumps. Their names reach apt, useradd, systemctl and psql, so they are held to the
 * strict shapes those tools accept. Not thread-safe: one per compilation.
 */
final class HostResourceChecks {

  static final int MAX_UNIT_BYTES = 64 * 1024;

  /** A service slower than this to answer after a start is failed, not waited for. */
  private static final int MAX_PROBE_SECONDS = 600;

  /** A dump slower than a day is a stuck pg_dump. */
  private static final int MAX_DUMP_SECONDS = 86_400;

  private static final Pattern DUMP_LABEL = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Checks checks;
  private final Names names;

  HostResourceChecks(Checks checks) {
    this.checks = checks;
    this.names = new Names(checks);
  }

  void packages(Package packages, String path) {
    if (packages.getNamesCount() == 0) {
      checks.fail(path + ".names", "names is required: the Debian packages to install");
    }
    for (int i = 0; i < packages.getNamesCount(); i++) {
      names.debianPackage(path + ".names[" + i + "]", packages.getNames(i));
    }
  }

  void group(Group group, String path) {
    names.account(path + ".name", "name", group.getName(), true);
  }

  void user(User user, String path) {
    names.account(path + ".name", "name", user.getName(), true);
    names.account(path + ".group", "group", user.getGroup(), false);
    checks.path(path + ".home", user.getHome(), false);
    checks.path(path + ".shell", user.getShell(), false);
    for (int i = 0; i < user.getGroupsCount(); i++) {
      names.account(path + ".groups[" + i + "]", "group", user.getGroups(i), true);
    }
  }

  void service(Service service, String path) {
    names.unit(path + ".name", service.getName());
    int bytes = service.getUnitBytes().size();
    if (bytes > MAX_UNIT_BYTES) {
      checks.fail(
          path + ".unit",
          "unit has " + bytes + " bytes; at most " + MAX_UNIT_BYTES + " are allowed");
    } else if (service.getUnit().indexOf('\0') >= 0) {
      checks.fail(path + ".unit", "unit contains a NUL character");
    }
    ids(path + ".restart_on", service.getRestartOnList());
    ids(path + ".reload_on", service.getReloadOnList());
    if (service.hasProbe()) {
      checks.argv(path + ".probe.argv", service.getProbe().getArgvList(), Checks.ARGV_REQUIRED);
      int timeout = service.getProbe().getTimeoutSeconds();
      if (timeout < 0 || timeout > MAX_PROBE_SECONDS) {
        checks.fail(
            path + ".probe.timeout_seconds",
            "must be 1–" + MAX_PROBE_SECONDS + " (0 or absent means 30)");
      }
    }
  }

  private void ids(String field, List<String> ids) {
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).isEmpty() || ids.get(i).chars().anyMatch(Character::isISOControl)) {
        checks.fail(
            field + "[" + i + "]",
            "resource id " + quote(ids.get(i)) + " must be non-empty, without control characters");
      }
    }
  }

  void databaseDump(DatabaseDump dump, String path) {
    names.sqlIdentifier(path + ".database", "database", dump.getDatabase(), true);
    checks.path(path + ".dir", dump.getDir(), true);
    checks.path(path + ".done_marker", dump.getDoneMarker(), true);
    if (!DUMP_LABEL.matcher(dump.getLabel()).matches()) {
      checks.fail(
          path + ".label",
          "label "
              + quote(dump.getLabel())
              + " is not valid; use 1 to 64 letters, digits, \"-\" and \"_\", such as a"
              + " release's short commit");
    }
    if (dump.getKeep() < 0 || dump.getKeep() > ResourceValidator.MAX_KEEP) {
      checks.fail(
          path + ".keep",
          "keep is "
              + dump.getKeep()
              + "; use 1 to "
              + ResourceValidator.MAX_KEEP
              + " (0 means 5)");
    }
    if (dump.getTimeoutSeconds() < 0 || dump.getTimeoutSeconds() > MAX_DUMP_SECONDS) {
      checks.fail(
          path + ".timeout_seconds",
          "timeout_seconds is "
              + dump.getTimeoutSeconds()
              + "; use 1 to "
              + MAX_DUMP_SECONDS
              + " (0 means 3600)");
    }
  }

  void database(Database database, String path) {
    names.sqlIdentifier(path + ".name", "name", database.getName(), true);
    names.sqlIdentifier(path + ".owner", "owner", database.getOwner(), false);
    names.secret(path + ".password_secret", database.getPasswordSecret(), true);
    for (int i = 0; i < database.getExtensionsCount(); i++) {
      names.extension(path + ".extensions[" + i + "]", database.getExtensions(i));
    }
  }
}
