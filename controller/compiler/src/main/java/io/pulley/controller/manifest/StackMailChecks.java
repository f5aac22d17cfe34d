package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.v1.StackMail;
import java.util.List;
import java.util.Set;

/**
 * Checks the {@code stack.mail} section. Its values are written into Postfix's main.cf and tables,
 * where {@code $} expands a parameter and whitespace or a comma ends a value, so addresses are held
 * to a plain shape (letters, digits and {@code ._%+=-} before the {@code @}) and the login to
 * printable characters without {@code :}. Not thread-safe: one per compilation.
 */
final class StackMailChecks {
  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  static final Pattern HOST = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+=-]{1,64}@" + HOST);
  static final Pattern LOGIN = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]{1,254}");
  static final Set<String> REPORTS = Set.of("on-change", "only-on-error", "always");
  static final int MAX_ROOT_TO = 20;
  private static final String PREFIX = "stack.mail.";

  private final Checks checks;
  private final ConfigText text;
  private final Names names;

  StackMailChecks(Checks checks) {
    this.checks = checks;
    this.text = new ConfigText(checks);
    this.names = new Names(checks);
  }

  void validate(StackMail mail) {
    if (mail.getRelay().isEmpty()) {
      checks.fail(PREFIX + "relay", "relay is required: the host name of the SMTP relay");
    } else if (mail.getRelay().length() > 253 || !HOST.matcher(mail.getRelay()).matches()) {
      checks.fail(
          PREFIX + "relay",
          "relay " + quote(mail.getRelay()) + " is not a host name, such as \"smtp.example.com\"");
    }
    text.range(PREFIX + "port", mail.getPort(), 1, 65_535, "587, submission with STARTTLS");
    login(mail);
    if (!mail.getFrom().isEmpty()) {
      address(PREFIX + "from", mail.getFrom());
    } else if (!mail.getUsername().contains("@")) {
      checks.fail(
          PREFIX + "from",
          "from is required (username is not an address): the sender address the relay accepts");
    }
    List<String> rootTo = mail.getRootToList();
    if (rootTo.isEmpty()) {
      checks.fail(PREFIX + "root_to", "root_to is required: where root's mail and alerts go");
    } else if (rootTo.size() > MAX_ROOT_TO) {
      checks.fail(PREFIX + "root_to", "at most " + MAX_ROOT_TO + " addresses");
    }
    for (int i = 0; i < Math.min(rootTo.size(), MAX_ROOT_TO); i++) {
      address(PREFIX + "root_to[" + i + "]", rootTo.get(i));
    }
    relayCa(mail.getRelayCa());
    int percent = mail.getDiskAlertPercent();
    if (percent != -1) {
      text.range(PREFIX + "disk_alert_percent", percent, 1, 99, "80; -1 means no alert");
    }
    String report = mail.getUpgradeReport();
    if (!report.isEmpty() && !REPORTS.contains(report)) {
      checks.fail(
          PREFIX + "upgrade_report",
          "upgrade_report "
              + quote(report)
              + " is not one of \"on-change\", \"only-on-error\", \"always\"");
    }
  }

  private void login(StackMail mail) {
    String username = mail.getUsername();
    if (!username.isEmpty() && !LOGIN.matcher(username).matches()) {
      checks.fail(
          PREFIX + "username",
          "username is not valid; use printable characters without spaces or \":\", at most 254");
    }
    names.secret(PREFIX + "password_secret", mail.getPasswordSecret(), !username.isEmpty());
    if (username.isEmpty() && !mail.getPasswordSecret().isEmpty()) {
      checks.fail(PREFIX + "username", "username is required with password_secret");
    }
  }

  private void address(String field, String address) {
    if (address.length() > 254 || !ADDRESS.matcher(address).matches()) {
      checks.fail(
          field,
          quote(address)
              + " is not a plain address such as \"ops@example.com\" (letters, digits and ._%+=-"
              + " before the @)");
    }
  }

  private void relayCa(String pem) {
    if (!pem.isEmpty()) {
      PemCertificates.problem(pem)
          .ifPresent(reason -> checks.fail(PREFIX + "relay_ca", "relay_ca: " + reason));
    }
  }
}
