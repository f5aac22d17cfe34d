package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.v1.HealthCheck;
import io.pulley.v1.ReleaseLink;
import io.pulley.v1.Virtualenv;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Checks the resources around a release: virtual environments, release links and health checks. Not
 * thread-safe: one per compilation.
 */
final class ReleaseResourceChecks {
  private static final Pattern HOST_HEADER = Pattern.compile("[A-Za-z0-9._:\\[\\]-]+");

  static final int MAX_DEADLINE_SECONDS = 3600;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private final Checks checks;

  ReleaseResourceChecks(Checks checks) {
    this.checks = checks;
  }

  void virtualenv(Virtualenv venv, String path) {
    checks.path(path + ".path", venv.getPath(), true);
    checks.path(path + ".python", venv.getPython(), false);
    checks.path(path + ".requirements", venv.getRequirements(), false);
    checks.path(path + ".install", venv.getInstall(), false);
    for (int i = 0; i < venv.getPipArgsCount(); i++) {
      String argument = venv.getPipArgs(i);
      if (argument.isEmpty() || argument.chars().anyMatch(Character::isISOControl)) {
        checks.fail(
            path + ".pip_args[" + i + "]",
            "pip argument " + quote(argument) + " must be non-empty, without control characters");
      }
    }
  }

  void releaseLink(ReleaseLink link, String path) {
    checks.path(path + ".root", link.getRoot(), true);
    if (!COMMIT.matcher(link.getCommit()).matches()) {
      checks.fail(
          path + ".commit",
          "commit " + quote(link.getCommit()) + " is not a full 40-hex-digit commit id");
    }
    if (link.getKeep() < 0 || link.getKeep() > ResourceValidator.MAX_KEEP) {
      checks.fail(
          path + ".keep",
          "keep is "
              + link.getKeep()
              + "; use 1 to "
              + ResourceValidator.MAX_KEEP
              + " (0 means 5)");
    }
  }

  void healthCheck(HealthCheck check, String path) {
    url(path + ".url", check.getUrl());
    String host = check.getHostHeader();
    if (!host.isEmpty() && !HOST_HEADER.matcher(host).matches()) {
      checks.fail(
          path + ".host_header",
          "host_header " + quote(host) + " is not a host name (letters, digits, \".\", \"-\")");
    }
    int status = check.getExpectStatus();
    if (status != 0 && (status < 100 || status > 599)) {
      checks.fail(path + ".expect_status", "expect_status is " + status + "; use 100 to 599");
    }
    if (check.getExpectBody().indexOf('\0') >= 0) {
      checks.fail(path + ".expect_body", "expect_body contains a NUL character");
    }
    int deadline = check.getDeadlineSeconds();
    if (deadline < 0 || deadline > MAX_DEADLINE_SECONDS) {
      checks.fail(
          path + ".deadline_seconds",
          "deadline_seconds is "
              + deadline
              + "; use 1 to "
              + MAX_DEADLINE_SECONDS
              + " (0 means 60)");
    }
  }

  private void url(String field, String url) {
    if (url.isEmpty()) {
      checks.fail(field, "url is required, such as \"http://127.0.0.1/health\"");
      return;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
        checks.fail(field, "url " + quote(url) + " is not an absolute http:// or https:// URL");
      }
    } catch (URISyntaxException e) {
      checks.fail(field, "url " + quote(url) + " is not a URL: " + e.getReason());
    }
  }
}
