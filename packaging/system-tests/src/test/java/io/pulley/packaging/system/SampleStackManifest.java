package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The stack manifest of the sample application (samples/pulley-sample), as an admin would write it:
 * the whole site in one short section.
 */
final class SampleStackManifest {
  /** The Debian packages the sample imports (PyPI is not reachable from test servers). */
  static final List<String> PYTHON_PACKAGES =
      List.of(
          "python3-pyramid",
          "python3-sqlalchemy",
          "python3-alembic",
          "python3-celery",
          "python3-redis",
          "python3-psycopg2");

  static final String STAGING_CERTIFICATE = "/etc/ssl/certs/shop-staging.pem";
  static final String STAGING_KEY = "/etc/ssl/private/shop-staging.key";

  /** The manifest's own resources before the stack: staging's self-signed certificate. */
  private static final String STAGING_RESOURCES =
      """
      resources:
        - command:
            argv: [openssl, req, -x509, -newkey, "rsa:2048", -nodes, -days, "30",
                   -subj, /CN=staging.shop.example.test, -keyout, %s, -out, %s]
            creates: %s
      """
          .formatted(STAGING_KEY, STAGING_CERTIFICATE, STAGING_CERTIFICATE);

  private SampleStackManifest() {}

  /** The production site: database, Redis, Celery worker and beat, static files. */
  static Path production(Path dir, String repositoryUrl, String ref) throws IOException {
    return write(
        dir, "production", "shop.example.test", repositoryUrl, ref, "", "", "{}", "", "", "");
  }

  /**
   * The production site behind the host's firewall, written as {@code firewall} (the section's
   * value, such as "{confirm_seconds: 15}"), with sshd installed so that SSH can be seen open, and
   * Debian's security updates installed every day, rebooting at 04:00 when one needs it.
   */
  static Path firewalled(Path dir, String repositoryUrl, String ref, String firewall)
      throws IOException {
    return firewalled(dir, repositoryUrl, ref, firewall, "");
  }

  /** As {@link #firewalled}, with {@code stackExtra} (more stack sections, indented) at its end. */
  static Path firewalled(
      Path dir, String repositoryUrl, String ref, String firewall, String stackExtra)
      throws IOException {
    return write(
        dir,
        "production",
        "shop.example.test",
        repositoryUrl,
        ref,
        "resources:\n  - package: {names: [openssh-server]}\n",
        "",
        "{}",
        "",
        "",
        "  firewall: " + firewall + "\n  security_upgrades: {reboot_at: \"04:00\"}\n" + stackExtra);
  }

  /**
   * The production site handed over in {@code mode} ("per-release" or "reload"), with a health
   * check that gives up after 15 s, so that a release that never gets healthy is rejected soon.
   */
  static Path handedOver(Path dir, String repositoryUrl, String ref, String mode)
      throws IOException {
    return write(
        dir,
        "production",
        "shop.example.test",
        repositoryUrl,
        ref,
        "",
        "",
        "{}",
        "    handover: " + mode + "\n",
        "    deadline_seconds: 15\n",
        "");
  }

  /**
   * The production site with top-level {@code delivery} sections (track, rollout) before the stack,
   * and a health check that gives up after 15 s.
   */
  static Path delivered(Path dir, String repositoryUrl, String ref, String delivery)
      throws IOException {
    return write(
        dir,
        "production",
        "shop.example.test",
        repositoryUrl,
        ref,
        delivery,
        "",
        "{}",
        "",
        "    deadline_seconds: 15\n",
        "");
  }

  /**
   * A staging copy over HTTPS (a self-signed certificate made by the manifest's own first resource)
   * behind a password: htpasswd {@code line} ("user:hash"), which fail2ban guards (3 tries).
   */
  static Path staging(Path dir, String repositoryUrl, String ref, String htpasswdLine)
      throws IOException {
    return staging(dir, repositoryUrl, ref, htpasswdLine, STAGING_CERTIFICATE);
  }

  /** The staging copy, its site naming {@code certificate} (which may not exist on the host). */
  static Path staging(
      Path dir, String repositoryUrl, String ref, String htpasswdLine, String certificate)
      throws IOException {
    String auth =
        "    htpasswd:\n      - \""
            + htpasswdLine
            + "\"\n    tls:\n      certificate: "
            + certificate
            + "\n      key: "
            + STAGING_KEY
            + "\n";
    // Its own Redis databases, so that its worker never takes production's tasks.
    return write(
        dir,
        "staging",
        "staging.shop.example.test",
        repositoryUrl,
        ref,
        STAGING_RESOURCES,
        auth,
        "{cache_db: 5, broker_db: 6}",
        "",
        "",
        "  fail2ban: {max_retry: 3}\n");
  }

  private static Path write(
      Path dir,
      String environment,
      String domain,
      String repositoryUrl,
      String ref,
      String resources,
      String siteExtra,
      String redis,
      String webExtra,
      String healthExtra,
      String stackExtra)
      throws IOException {
    String application = "shop";
    String name = application + "-" + environment;
    String yaml =
        """
        application: %s
        environment: %s
        hosts:
          labels:
            role: web
        %sstack:
          name: %s
          git:
            url: %s
            ref: %s
            keep: 3
          python:
            system_site_packages: true
            pip_args: ["--no-index"]
          packages: [%s]
          web:
            wsgi: pulley_sample.wsgi:application
            processes: 3
        %s  site:
            domains: [%s]
            static_dir: pulley_sample/static
        %s  celery:
            app: pulley_sample.tasks
            beat: true
            concurrency: 2
          database: {}
          redis: %s
          settings:
            use: "egg:pulley-sample"
            secrets: [session-secret]
          commands:
            - name: migrate
              argv: [python, -m, alembic, -c, alembic.ini, upgrade, head]
          health:
            path: /health
            expect_body: ok
        %s%s"""
            .formatted(
                application,
                environment,
                resources,
                name,
                repositoryUrl,
                ref,
                String.join(", ", PYTHON_PACKAGES),
                webExtra,
                domain,
                siteExtra,
                redis,
                healthExtra,
                stackExtra);
    return Files.writeString(dir.resolve(name + ".yaml"), yaml);
  }
}
