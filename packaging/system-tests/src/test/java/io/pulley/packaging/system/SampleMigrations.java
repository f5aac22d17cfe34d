package io.pulley.packaging.system;

import java.io.IOException;
import java.util.Map;
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

  /**
   * A release that retires the task's {@code runs} counter: its code no longer uses it, and its
   * migration (revision "a002", after the harmless "9999") drops the column. The code before it
   * needs the column, so going back to it needs the dump from before this release's migration.
   */
  static Map<String, String> dropRunsColumn(SampleRepository repository) throws IOException {
    return Map.of(
        "pulley_sample/models.py",
        without(
            repository.read("pulley_sample/models.py"),
            "    # How often a worker ran it: more than 1 means a task was run twice (redelivered).\n",
            "    runs = Column(Integer, nullable=False, default=0, server_default=\"0\")\n",
            "            \"runs\": self.runs,\n"),
        "pulley_sample/tasks.py",
        without(repository.read("pulley_sample/tasks.py"), "        task.runs = Task.runs + 1\n"),
        "migrations/versions/a002_drop_runs.py",
        migration("a002", "9999", "op.drop_column('task', 'runs')"));
  }

  /** {@code text} without each of {@code lines}, every one of which must be there. */
  private static String without(String text, String... lines) {
    for (String line : lines) {
      if (!text.contains(line)) {
        throw new IllegalStateException("the sample no longer has: " + line.strip());
      }
      text = text.replace(line, "");
    }
    return text;
  }

  private static String migration(String downRevision, String body) {
    return migration("9999", downRevision, body);
  }

  private static String migration(String revision, String downRevision, String body) {
    return """
        \"\"\"A migration added by Pulley's system test.\"\"\"
        from alembic import op

        revision = "%s"
        down_revision = "%s"
        branch_labels = None
        depends_on = None


        def upgrade():
            %s


        def downgrade():
            pass
        """
        .formatted(revision, downRevision, body);
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
