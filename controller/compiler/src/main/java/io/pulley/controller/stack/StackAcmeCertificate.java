package io.pulley.controller.stack;

import io.pulley.v1.Command;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackAcme;
import java.util.ArrayList;
import java.util.List;

/**
 * The site's certificate from Let's Encrypt (or another ACME server), with certbot's webroot
 * plugin: the site's HTTP server answers the challenge from {@link #WEBROOT}. The steps come after
 * the release is live and healthy, so that a certificate that cannot be had yet (DNS not pointing
 * at the host) fails the apply without holding a release back: the site goes on serving HTTP, and
 * the next apply tries again. Once the certificate exists, the HTTPS server's file is written and
 * nginx reloaded; the HTTP server's locations then redirect to it. certbot renews by itself
 * (Debian's certbot.timer, or this stack's timer when the ACME server has a CA of its own) and
 * reloads nginx through the deploy hook it keeps in the renewal settings. Stateless.
 */
final class StackAcmeCertificate {
  static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
  static final String WEBROOT = "/var/www/html";
  static final String COMMAND_ID = "command:certificate";
  static final String SITE_ID = "file:nginx-site-tls";
  static final String RELOAD_ID = "service:nginx-tls";
  static final String CA_ID = "file:acme-ca";
  private static final String CA_DIR = "/etc/pulley/acme";

  /** Whether the certificate covers every domain and lasts another day; run with the domains. */
  private static final String COVERS =
      "for d in \"$@\"; do openssl x509 -in \"$0\" -noout -checkend 86400 > /dev/null"
          + " && openssl x509 -in \"$0\" -noout -checkhost \"$d\" | grep -q 'does match'"
          + " || exit 1; done";

  private StackAcmeCertificate() {}

  /** The Debian packages: certbot, and openssl for the check of the certificate. */
  static List<String> packages() {
    return List.of("certbot", "openssl");
  }

  static String live(String name) {
    return "/etc/letsencrypt/live/" + name;
  }

  /** The HTTPS server's file: sorted after the site's, whose log format it uses. */
  static String siteFile(StackLayout layout) {
    return "/etc/nginx/sites-enabled/" + layout.name() + ".tls.conf";
  }

  static String caFile(StackLayout layout) {
    return CA_DIR + "/" + layout.name() + "-ca.pem";
  }

  /** The certificate's steps; empty unless the site's TLS has an acme section. */
  static List<Resource> render(StackLayout layout, Stack filled) {
    if (!filled.getSite().getTls().hasAcme()) {
      return List.of();
    }
    StackAcme acme = filled.getSite().getTls().getAcme();
    String certificate = filled.getSite().getTls().getCertificate();
    List<Resource> resources = new ArrayList<>();
    if (!acme.getCa().isEmpty()) {
      resources.add(StackRenderer.directory(CA_DIR, "root", "root", "0755"));
      resources.add(
          StackRenderer.file(
              CA_ID, StackRenderer.publicFile(caFile(layout), acme.getCa().strip() + "\n")));
    }
    resources.add(StackRenderer.resource(COMMAND_ID, r -> r.setCommand(certbot(layout, filled))));
    resources.add(
        StackRenderer.file(
            SITE_ID,
            StackRenderer.publicFile(siteFile(layout), NginxSite.acmeHttpsServer(layout, filled))
                .setOnlyIfExists(certificate)
                .addAllValidate(List.of("nginx", "-t"))));
    resources.add(
        StackRenderer.service(RELOAD_ID, "nginx.service", "", List.of(), List.of(SITE_ID)));
    if (!acme.getCa().isEmpty()) {
      resources.addAll(renewalTimer(layout));
    }
    return resources;
  }

  private static Command.Builder certbot(StackLayout layout, Stack filled) {
    StackAcme acme = filled.getSite().getTls().getAcme();
    List<String> domains = filled.getSite().getDomainsList();
    List<String> argv =
        new ArrayList<>(
            List.of(
                "certbot",
                "certonly",
                "--non-interactive",
                "--agree-tos",
                "--webroot",
                "--webroot-path",
                WEBROOT,
                "--cert-name",
                layout.name(),
                "--server",
                acme.getDirectory(),
                "--deploy-hook",
                "systemctl reload nginx"));
    if (acme.getEmail().isEmpty()) {
      argv.add("--register-unsafely-without-email");
    } else {
      argv.addAll(List.of("--email", acme.getEmail()));
    }
    for (String domain : domains) {
      argv.addAll(List.of("--domain", domain));
    }
    List<String> unless = new ArrayList<>(List.of("sh", "-c", COVERS));
    unless.add(filled.getSite().getTls().getCertificate());
    unless.addAll(domains);
    Command.Builder command =
        Command.newBuilder().addAllArgv(argv).addAllUnless(unless).setTimeoutSeconds(300);
    if (!acme.getCa().isEmpty()) {
      command.putEnv("REQUESTS_CA_BUNDLE", caFile(layout));
    }
    return command;
  }

  /**
   * Renewal against an ACME server with a CA of its own: Debian's certbot.timer runs without the
   * CA, so this stack's timer renews its certificate with it, twice a day.
   */
  private static List<Resource> renewalTimer(StackLayout layout) {
    String unit = "pulley-acme-" + layout.name();
    Resource service =
        StackRenderer.timerStarted(
            "service:acme-renew",
            unit + ".service",
            layout.header("#")
                + "[Unit]\nDescription=Renew the certificate of "
                + layout.name()
                + "\n\n[Service]\nType=oneshot\nEnvironment=REQUESTS_CA_BUNDLE="
                + caFile(layout)
                + "\nExecStart=/usr/bin/certbot --quiet renew --no-random-sleep-on-renew"
                + " --cert-name "
                + layout.name()
                + "\n");
    Resource timer =
        StackRenderer.service(
            "service:acme-renew-timer",
            unit + ".timer",
            layout.header("#")
                + "[Unit]\nDescription=Renew the certificate of "
                + layout.name()
                + " twice a day\n\n[Timer]\nOnCalendar=*-*-* 00,12:00:00\n"
                + "RandomizedDelaySec=3600\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n",
            List.of(),
            List.of());
    return List.of(service, timer);
  }
}
