package io.pulley.agent.apply.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.process.ProgramRunner;
import io.pulley.v1.lite.Database;
import io.pulley.v1.lite.DatabaseDump;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dump before a migration against a real PostgreSQL server, through the real runuser + pg_dump
 * path: a migration that drops a column, and the documented pg_restore that brings it back.
 */
class DumpExecutorPostgresTest {
  @TempDir static Path clusterDir;
  @TempDir Path dir;

  private static TestCluster cluster;

  @BeforeAll
  static void startServer() throws Exception {
    cluster = TestCluster.start(clusterDir);
    Convergence db =
        new DatabaseExecutor(new RunuserPsql(cluster.libpqEnv()), new Random(3))
            .converge(
                Database.newBuilder().setName("shop").setPasswordSecret("pw").build(),
                Contexts.withSecrets(clusterDir.resolve("state"), Map.of("pw", "secret-pw")));
    assertThat(db.failed()).as(db.reason()).isFalse();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void migrationThatDropsAColumn_leavesADumpThatRestoresIt() throws Exception {
    // As the application's migrations would: its role owns what they make.
    sql("shop", AS_APP + "CREATE TABLE notes (id int PRIMARY KEY, body text, author text)");
    sql("shop", AS_APP + "INSERT INTO notes VALUES (1, 'hello', 'ann'), (2, 'world', 'bob')");
    Path dumps = dir.resolve("srv/shop/dumps");
    DumpExecutor executor =
        new DumpExecutor(
            new PathGuard(List.of(dir)),
            new PgDump(cluster.libpqEnv()),
            new RunuserPsql(cluster.libpqEnv()),
            Clock.systemUTC());
    DatabaseDump spec =
        DatabaseDump.newBuilder()
            .setDatabase("shop")
            .setDir(dumps.toString())
            .setLabel("3f2a9c1e0b7d")
            .setDoneMarker(dir.resolve("srv/shop/releases/x/.pulley-done/dump").toString())
            .build();
    DatabaseDump since = spec.toBuilder().setSchemaSince(true).build();

    Convergence dumped = executor.converge(spec, Contexts.plain(dir.resolve("state")));
    assertThat(dumped.outcome())
        .as(dumped.reason() + dumped.outputTail())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(dumped.reason()).endsWith("; schema 1 tables, 3 columns");
    assertThat(executor.converge(since, Contexts.plain(dir.resolve("state"))).reason())
        .startsWith("the schema of shop is as it was before this release's commands");
    // The migration.
    sql("shop", AS_APP + "ALTER TABLE notes DROP COLUMN author");
    assertThat(executor.converge(since, Contexts.plain(dir.resolve("state"))).reason())
        .startsWith(
            "the schema of shop changed in this release: 1 tables, 3 columns before its"
                + " commands, 1 tables, 2 columns now");

    Path dump;
    try (var files = Files.list(dumps)) {
      dump = files.findFirst().orElseThrow();
    }
    assertThat(sql("shop", AUTHOR_COLUMNS)).isEqualTo("0");
    // docs/stack.md's restore, over the live database. The dump is root's alone: pg_restore reads
    // it from standard input.
    ProgramRunner.Result restore =
        asPostgres(
            Files.readAllBytes(dump),
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--role=shop",
            "--single-transaction",
            "--dbname=shop");
    assertThat(restore.succeeded()).as(restore.outputTail()).isTrue();
    assertThat(sql("shop", AUTHOR_COLUMNS)).isEqualTo("1");
    assertThat(sql("shop", "SELECT string_agg(author, ',' ORDER BY id) FROM notes"))
        .isEqualTo("ann,bob");
    assertThat(
            sql("shop", "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'notes'"))
        .isEqualTo("shop");
  }

  private static final String AS_APP = "SET ROLE shop; ";

  private static final String AUTHOR_COLUMNS =
      "SELECT count(*) FROM information_schema.columns"
          + " WHERE table_name = 'notes' AND column_name = 'author'";

  /** {@code program} run as the postgres user with {@code stdin}, on the test's cluster. */
  private static ProgramRunner.Result asPostgres(byte[] stdin, String... program)
      throws InterruptedException {
    return new ProgramRunner()
        .run(AsPostgres.argv(program), Path.of("/"), env(), stdin, Duration.ofMinutes(1));
  }

  private static Map<String, String> env() {
    return AsPostgres.env(cluster.libpqEnv());
  }

  /** Runs {@code sql} in {@code database} as the postgres user; its output, stripped. */
  private static String sql(String database, String sql) throws Exception {
    ProgramRunner.Result run =
        asPostgres(new byte[0], "psql", "-XAt", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql);
    assertThat(run.succeeded()).as(sql + ": " + run.outputTail()).isTrue();
    return run.stdout().strip();
  }
}
