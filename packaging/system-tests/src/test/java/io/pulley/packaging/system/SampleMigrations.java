package io.pulley.packaging.system;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Alembic migrations added to the sample application by tests, on top of its own first one. */
final class SampleMigrations {
  /** The sample's own migration, which creates the task table. */
  static final String FIRST = "migrations/versions/0001_create_task.py";

  private static final Pattern REVISION = Pattern.compile("(?m)^revision\\s*=\\s*['\"](\\w+)['\"]");

  private SampleMigrations() {}

  /** A migration after the first that raises: the release must never go live. */
  static String failingAfter(SampleRepository repository) throws IOException {
    return migration(
        firstRevision(repository), "raise RuntimeError('this migration fails on purpose')");
  }

  /** The same migration made harmless (it only checks the table exists). */
  static String harmlessAfter(SampleRepository repository) throws IOException {
    return migration(firstRevision(repository), "op.execute('SELECT count(*) FROM task')");
  }

  private static String migration(String downRevision, String body) {
    return """
        \"\"\"A migration added by Pulley's system test.\"\"\"
        from alembic import op

        revision = "9999"
        down_revision = "%s"
        branch_labels = None
        depends_on = None


        def upgrade():
            %s


        def downgrade():
            pass
        """
        .formatted(downRevision, body);
  }

  private static String firstRevision(SampleRepository repository) throws IOException {
    String text = repository.read(FIRST);
    Matcher m = REVISION.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no revision id in " + FIRST);
    }
    return m.group(1);
  }
}
