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

  private SampleStackManifest() {}

  /** The production site: database, Redis, Celery worker and beat, static files. */
  static Path production(Path dir, String repositoryUrl, String ref) throws IOException {
    return write(dir, "production", "shop.example.test", repositoryUrl, ref, "", "{}");
  }

  /** A staging copy behind a password: htpasswd {@code line} ("user:hash"). */
  static Path staging(Path dir, String repositoryUrl, String ref, String htpasswdLine)
      throws IOException {
    String auth = "    htpasswd:\n      - \"" + htpasswdLine + "\"\n";
    // Its own Redis databases, so that its worker never takes production's tasks.
    return write(
        dir,
        "staging",
        "staging.shop.example.test",
        repositoryUrl,
        ref,
        auth,
        "{cache_db: 5, broker_db: 6}");
  }

  private static Path write(
      Path dir,
      String environment,
      String domain,
      String repositoryUrl,
      String ref,
      String siteExtra,
      String redis)
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
        stack:
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
            processes: 2
            threads: 2
          site:
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
        """
            .formatted(
                application,
                environment,
                name,
                repositoryUrl,
                ref,
                String.join(", ", PYTHON_PACKAGES),
                domain,
                siteExtra,
                redis);
    return Files.writeString(dir.resolve(name + ".yaml"), yaml);
  }
}
