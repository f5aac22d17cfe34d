package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stack manifests of the Flask and Django samples (samples/flask-notes, samples/django-polls),
 * as their READMEs show them: settings as environment variables, each application with its own
 * Redis databases and Celery queue on the same host (Django's chosen by the controller: it leaves
 * them out, and the Flask sample holds 1 and 2).
 */
final class FrameworkManifests {
  static final String NOTES_DOMAIN = "notes.example.test";
  static final String POLLS_DOMAIN = "polls.example.test";

  /** The Django secret key's secret: set by the admin, never generated. */
  static final String POLLS_SECRET = "django-key";

  private FrameworkManifests() {}

  /**
   * Flask: an app factory, flit_core, the instance folder outside the release, init-db once, and
   * nginx's cache for /pages/ (long enough that only a release switch empties it in the test).
   */
  static Path notes(Path dir, String repositoryUrl) throws IOException {
    return flask(
        dir,
        "notes",
        NOTES_DOMAIN,
        1,
        2,
        "url: \"" + repositoryUrl + "\", ref: main, keep: 3",
        "",
        "\n    cache: {paths: [/pages/], valid_seconds: 600}");
  }

  /**
   * The Flask sample as application {@code application} at {@code domain} with its own Redis
   * databases, its {@code git} section's fields (inside the braces) and {@code delivery} sections
   * (such as "track: …") before the stack.
   */
  static Path flask(
      Path dir,
      String application,
      String domain,
      int cacheDb,
      int brokerDb,
      String git,
      String delivery)
      throws IOException {
    return flask(dir, application, domain, cacheDb, brokerDb, git, delivery, "");
  }

  /** The same, with {@code site} (YAML lines, each starting "\n ") added to the site. */
  static Path flask(
      Path dir,
      String application,
      String domain,
      int cacheDb,
      int brokerDb,
      String git,
      String delivery,
      String site)
      throws IOException {
    String yaml =
        """
        application: %s
        environment: production
        hosts:
          labels: {role: web}
        %sstack:
          git: {%s}
          python:
            system_site_packages: true
            pip_args: ["--no-index"]
          packages: [python3-flask, python3-celery, python3-redis, python3-psycopg2, flit]
          web:
            wsgi: "notes:create_app()"
            processes: 2
          site:
            domains: [%s]
            static_dir: notes/static
            websocket: true%s
          celery: {app: notes.tasks, concurrency: 1, queues: [notes]}
          database: {}
          redis: {cache_db: %d, broker_db: %d}
          shared_dirs: [instance]
          secret_environment:
            NOTES_SECRET_KEY: {secret: notes-key, generate: true}
          commands:
            # The Flask tutorial's init-db drops the table: once per host, ever.
            - name: init-db
              argv: [python, -m, flask, --app, notes, init-db]
              once: host
          health: {path: /health, expect_body: ok}
        """
            .formatted(application, delivery, git, domain, site, cacheDb, brokerDb);
    return Files.writeString(dir.resolve(application + ".yaml"), yaml);
  }

  /**
   * Django: no packaging metadata, migrate and collectstatic, Recommends for the admin's jQuery.
   */
  static Path polls(Path dir, String repositoryUrl) throws IOException {
    String yaml =
        """
        application: polls
        environment: production
        hosts:
          labels: {role: web}
        stack:
          git: {url: "%s", ref: main, keep: 3}
          python:
            system_site_packages: true
            pip_args: ["--no-index"]
          packages: [python3-celery, python3-redis, python3-psycopg2]
          packages_with_recommends: [python3-django]
          web:
            wsgi: mysite.wsgi
            processes: 2
          site:
            domains: [%s]
          django: {settings: mysite.settings, migrate: true, collectstatic: true}
          celery: {app: mysite, concurrency: 1, queues: [polls]}
          database: {}
          redis: {}
          secret_environment:
            DJANGO_SECRET_KEY: {secret: %s}
          health: {path: /health, expect_body: ok}
        """
            .formatted(repositoryUrl, POLLS_DOMAIN, POLLS_SECRET);
    return Files.writeString(dir.resolve("polls.yaml"), yaml);
  }
}
