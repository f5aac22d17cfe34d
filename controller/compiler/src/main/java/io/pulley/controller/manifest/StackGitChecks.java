package io.pulley.controller.manifest;

import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * Checks how a Git remote is reached, for the stack's {@code git} and for {@code git_release}
 * resources alike: no credentials inside the URL, a deploy key only for SSH, a token only over
 * HTTPS, a host key only for SSH and in OpenSSH's format. Messages never repeat the URL, which may
 * hold the very token they refuse. Not thread-safe: one per compilation.
 */
final class StackGitChecks {

  // Basic authentication splits at the first ':'; GitLab deploy tokens' users have '+'.
  static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");

  private final Checks checks;
  private final Names names;

  StackGitChecks(Checks checks) {
    this.checks = checks;
    this.names = new Names(checks);
  }

  /**
   * Checks {@code source}, whose fields are under {@code path} ("stack.git"); {@code fingerprint}
   * is the host_key_fingerprint as written, which only the controller sets.
   */
  void validate(String path, GitRemotes.Source source, String fingerprint) {
    String url = source.url();
    String scheme = scheme(url);
    boolean ssh = SshHostKey.isSsh(url);
    userinfo(path, url, scheme);
    names.secret(path + ".deploy_key_secret", source.deployKeySecret(), false);
    names.secret(path + ".token_secret", source.tokenSecret(), false);
    if (!source.deployKeySecret().isEmpty() && !ssh) {
      checks.fail(
          path + ".deploy_key_secret",
          "deploy_key_secret is for ssh:// and user@host:path remotes; "
              + (scheme.equals("https")
                  ? "an https:// remote takes token_secret"
                  : "this url is not one"));
    }
    if (!source.tokenSecret().isEmpty() && !scheme.equals("https")) {
      checks.fail(
          path + ".token_secret",
          ssh
              ? "token_secret is for https:// remotes; an ssh remote takes deploy_key_secret"
              : "token_secret needs an https:// url: over any other the token would cross the"
                  + " network readable");
    }
    if (!source.username().isEmpty()) {
      if (source.tokenSecret().isEmpty()) {
        checks.fail(path + ".username", "username is sent only with token_secret; set both");
      } else if (!USERNAME.matcher(source.username()).matches()) {
        checks.fail(
            path + ".username",
            "username may hold letters, digits, \".\", \"_\", \"@\", \"+\" and \"-\", at most 100");
      }
    }
    if (!source.hostKey().isEmpty()) {
      if (!ssh) {
        checks.fail(path + ".host_key", "host_key is for ssh:// and user@host:path remotes");
      } else {
        SshHostKey.problem(source.hostKey()).ifPresent(p -> checks.fail(path + ".host_key", p));
      }
    }
    if (!fingerprint.isEmpty()) {
      checks.fail(
          path + ".host_key_fingerprint",
          "host_key_fingerprint is set by the controller; remove it (pin the key itself in"
              + " host_key)");
    }
  }

  /** Refuses a password or token written into the URL, which the stored manifest would keep. */
  private void userinfo(String path, String url, String scheme) {
    int start = url.indexOf("://");
    if (start < 0) {
      return;
    }
    int end = url.indexOf('/', start + 3);
    String authority = url.substring(start + 3, end < 0 ? url.length() : end);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return;
    }
    String userinfo = authority.substring(0, at);
    if (scheme.equals("http") || scheme.equals("https")) {
      checks.fail(
          path + ".url",
          "url carries user information (a user name, password or token before \"@\"), which"
              + " would be stored with every revision; put the token in an application secret"
              + " named by token_secret, and the user in username");
    } else if (userinfo.indexOf(':') >= 0) {
      checks.fail(
          path + ".url",
          "url carries a password, which would be stored with every revision; ssh:// remotes"
              + " take a user name only and a deploy key named by deploy_key_secret");
    }
  }

  private static String scheme(String url) {
    int colon = url.indexOf("://");
    return colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
  }
}
