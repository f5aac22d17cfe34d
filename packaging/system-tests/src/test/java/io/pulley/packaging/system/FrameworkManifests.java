package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stack manifests of the Flask and Django samples (samples/flask-notes, samples/django-polls),
 * as their READMEs show them: settings as environment variables, each application with its own
 * Redis databases and Celery queue on the same host.
 */
final class FrameworkManifests {
  static final String NOTES_DOMAIN = "notes.example.test";
  static final String POLLS_DOMAIN = "polls.example.test";

  /** The Django secret key's secret: set by the admin, never generated. */
  static final String POLLS_SECRET = "django-key";

  private FrameworkManifests() {}

  /** Flask: an app factory, flit_core, the instance folder outside the release, init-db once. */
  static Path notes(Path dir, String repositoryUrl) throws IOException {
    String yaml =
        """
        application: notes
        environment: production
        hosts:
          labels: {role: web}
        stack:
          git: {url: "%s", ref: main, keep: 3}
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
            websocket: true
          celery: {app: notes.tasks, concurrency: 1, queues: [notes]}
          database: {}
          redis: {cache_db: 1, broker_db: 2}
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
            .formatted(repositoryUrl, NOTES_DOMAIN);
    return Files.writeString(dir.resolve("notes.yaml"), yaml);
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
          redis: {cache_db: 4, broker_db: 5}
          secret_environment:
            DJANGO_SECRET_KEY: {secret: %s}
          health: {path: /health, expect_body: ok}
        """
            .formatted(repositoryUrl, POLLS_DOMAIN, POLLS_SECRET);
    return Files.writeString(dir.resolve("polls.yaml"), yaml);
  }
}
