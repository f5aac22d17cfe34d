package io.pulley.controller.stack;

import io.pulley.v1.File;
import io.pulley.v1.Package;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackMail;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's outgoing mail: Postfix as a client of the stack's relay only. Postfix rather than a
 * smaller MTA because it checks the relay's certificate (Debian's dma 0.13 does not, so it would
 * hand the relay's password to whoever answers) and keeps a queue (msmtp has none, and needs its
 * password readable by every sender). It listens on no port ({@code master_service_disable =
 * inet}): mail comes in only through sendmail(1), which cron, unattended-upgrades and the disk
 * alert call. root's mail is forwarded to {@code root_to}; every sender is rewritten to {@code
 * from}, an address the relay accepts.
 *
 * <p>main.cf is written before Postfix is installed: Debian's postinst keeps an existing one, so
 * Postfix never starts as an "Internet Site" listening on port 25, not even for a moment.
 * Stateless.
 */
final class StackMailRelay {
  static final String SERVICE_ID = "service:postfix";
  static final String MAIN_ID = "file:postfix-main";
  static final String PASSWORD_ID = "file:mail-password";
  static final String ALIASES_ID = "file:mail-aliases";
  static final String CA_ID = "file:mail-relay-ca";
  static final int SUBMISSION_PORT = 587;
  static final int IMPLICIT_TLS_PORT = 465;

  private static final String DIR = "/etc/postfix";
  static final String MAIN = DIR + "/main.cf";
  static final String PASSWORD = DIR + "/pulley-relay-password";
  static final String ALIASES = DIR + "/pulley-aliases";
  static final String CA = DIR + "/pulley-relay-ca.pem";
  private static final String SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt";

  private StackMailRelay() {}

  /** Postfix's resources, in the order they must be applied; empty without a mail section. */
  static List<Resource> render(StackLayout layout, Stack filled) {
    if (!filled.hasMail()) {
      return List.of();
    }
    StackMail mail = filled.getMail();
    List<Resource> resources = new ArrayList<>();
    resources.add(StackRenderer.directory(DIR, "root", "root", "0755"));
    resources.add(
        StackRenderer.file(MAIN_ID, StackRenderer.publicFile(MAIN, mainCf(layout, mail))));
    resources.add(
        StackRenderer.resource(
            "package:mail",
            r ->
                r.setPackage(
                    Package.newBuilder()
                        .addAllNames(List.of("postfix", "libsasl2-modules", "ca-certificates")))));
    List<String> reloadOn = new ArrayList<>(List.of(ALIASES_ID));
    if (!mail.getUsername().isEmpty()) {
      resources.add(StackRenderer.file(PASSWORD_ID, passwordFile(layout, mail)));
      reloadOn.add(PASSWORD_ID);
    }
    resources.add(
        StackRenderer.file(ALIASES_ID, StackRenderer.publicFile(ALIASES, aliases(layout, mail))));
    if (!mail.getRelayCa().isEmpty()) {
      resources.add(
          StackRenderer.file(
              CA_ID, StackRenderer.publicFile(CA, withNewline(mail.getRelayCa().strip()))));
      reloadOn.add(CA_ID);
    }
    // Reloaded when a table changes: texthash tables are read when a daemon starts.
    resources.add(
        StackRenderer.probed(
            StackRenderer.service(
                SERVICE_ID, "postfix.service", "", List.of(MAIN_ID), List.copyOf(reloadOn)),
            "postfix",
            "status"));
    resources.addAll(StackDiskAlert.render(layout, filled));
    return resources;
  }

  /** The relay as Postfix names it: brackets, so that no MX record is looked up. */
  static String relayHost(StackMail mail) {
    return "[" + mail.getRelay() + "]:" + mail.getPort();
  }

  static String mainCf(StackLayout layout, StackMail mail) {
    StringBuilder text = new StringBuilder(layout.header("#"));
    text.append("# Postfix sends through the relay only and listens on no port: mail comes in\n")
        .append("# through sendmail(1). docs/stack.md#mail.\n")
        .append("compatibility_level = 3.6\n")
        .append("biff = no\n")
        .append("append_dot_mydomain = no\n")
        .append("readme_directory = no\n")
        .append("myorigin = $myhostname\n")
        .append("mydestination = $myhostname, localhost.$mydomain, localhost\n")
        .append("master_service_disable = inet\n")
        .append("inet_interfaces = loopback-only\n")
        .append("mynetworks_style = host\n")
        .append("alias_maps = texthash:")
        .append(ALIASES)
        .append("\nalias_database =\n")
        .append("relayhost = ")
        .append(relayHost(mail))
        // getaddrinfo, so that /etc/hosts counts too; a bracketed relay needs no MX lookup.
        .append("\nsmtp_host_lookup = native\n")
        .append("smtp_tls_security_level = secure\n")
        .append("smtp_tls_mandatory_protocols = >=TLSv1.2\n")
        .append("smtp_tls_CAfile = ")
        .append(mail.getRelayCa().isEmpty() ? SYSTEM_CAS : CA)
        .append('\n');
    if (mail.getPort() == IMPLICIT_TLS_PORT) {
      text.append("smtp_tls_wrappermode = yes\n");
    }
    if (!mail.getUsername().isEmpty()) {
      text.append("smtp_sasl_auth_enable = yes\n")
          .append("smtp_sasl_password_maps = texthash:")
          .append(PASSWORD)
          .append("\nsmtp_sasl_security_options = noanonymous\n")
          .append("smtp_sasl_tls_security_options = noanonymous\n");
    }
    text.append("sender_canonical_classes = envelope_sender, header_sender\n")
        .append("sender_canonical_maps = static:")
        .append(mail.getFrom())
        .append('\n');
    return text.toString();
  }

  /** The relay's login; the password is a placeholder the host fills in from the secret. */
  private static File.Builder passwordFile(StackLayout layout, StackMail mail) {
    return File.newBuilder()
        .setPath(PASSWORD)
        .setContent(
            layout.header("#")
                + relayHost(mail)
                + " "
                + mail.getUsername()
                + ":${secret:"
                + mail.getPasswordSecret()
                + "|line}\n")
        .setOwner("root")
        .setGroup("root")
        .setMode("0600")
        .setSensitive(true);
  }

  static String aliases(StackLayout layout, StackMail mail) {
    return layout.header("#")
        + "postmaster root\n"
        + "root "
        + String.join(", ", mail.getRootToList())
        + "\n";
  }

  private static String withNewline(String text) {
    return text.endsWith("\n") ? text : text + "\n";
  }
}
