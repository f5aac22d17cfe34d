package io.pulley.agent.apply.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.process.ProgramRunner;
import io.pulley.testing.ManualClock;
import io.pulley.v1.lite.DatabaseDump;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpExecutorTest {
  @TempDir Path dir;
  private Path dumps;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:15:00Z"));
  private final List<String> dumped = new ArrayList<>();
  private ProgramRunner.Result answer = new ProgramRunner.Result(0, false, "", "", "");

  @BeforeEach
  void layout() {
    dumps = dir.resolve("srv/shop/dumps");
  }

  private DatabaseDump.Builder spec(String label) {
    return DatabaseDump.newBuilder()
        .setDatabase("shop")
        .setDir(dumps.toString())
        .setLabel(label)
        .setDoneMarker(dir.resolve("srv/shop/releases/" + label + "/.pulley-done/dump").toString())
        .setKeep(3);
  }

  /** What psql answers to the schema's query: 1 table with 3 columns. */
  private String schemaRow = "1|3|" + "5d41402abc4b2a76b9719d911017c592";

  /** Converges {@code spec} with a pg_dump stand-in that writes the database's name. */
  private Convergence converge(DatabaseDump spec) throws Exception {
    DumpExecutor executor =
        new DumpExecutor(
            new PathGuard(List.of(dir)),
            (database, into, timeout) -> {
              dumped.add(database + " " + timeout.toSeconds());
              Files.writeString(into, "PGDMP " + database);
              return answer;
            },
            script -> new ProgramRunner.Result(0, false, schemaRow + "\n", "", ""),
            clock);
    return executor.converge(spec, Contexts.plain(dir.resolve("state")));
  }

  private List<String> dumpNames() throws Exception {
    try (Stream<Path> files = Files.list(dumps)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void firstApply_dumpsIntoATimedFile_rootsAlone_thenMarksTheReleaseDone() throws Exception {
    Convergence c = converge(spec("3f2a9c1e0b7d").build());

    Path dump = dumps.resolve("20261206T101500Z-3f2a9c1e0b7d.pgdump");
    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason())
        .isEqualTo("dumped shop to " + dump + " (10 B); schema 1 tables, 3 columns");
    assertThat(dump).hasContent("PGDMP shop");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dumps)))
        .isEqualTo("rwx------");
    assertThat(dumped).containsExactly("shop 3600");
    assertThat(Path.of(spec("3f2a9c1e0b7d").getDoneMarker()))
        .hasContent(dump + "\nschema 1 tables, 3 columns, 5d41402abc4b2a76b9719d911017c592\n");
  }

  @Test
  void sameRelease_isNotDumpedAgain() throws Exception {
    converge(spec("3f2a9c1e0b7d").build());
    clock.advance(Duration.ofMinutes(5));

    Convergence again = converge(spec("3f2a9c1e0b7d").build());

    assertThat(again.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(again.reason())
        .isEqualTo(
            "made before this release's migrations: "
                + dumps.resolve("20261206T101500Z-3f2a9c1e0b7d.pgdump"));
    assertThat(dumped).hasSize(1);
  }

  @Test
  void newestKeepAreKept_andNothingElseInTheDirectoryIsTouched() throws Exception {
    for (String label : List.of("aaaa", "bbbb", "cccc", "dddd")) {
      converge(spec(label).build());
      clock.advance(Duration.ofHours(1));
    }
    Files.writeString(dumps.resolve("notes.txt"), "mine");
    Path elsewhere = Files.writeString(dir.resolve("precious.pgdump"), "keep me");
    Files.createSymbolicLink(dumps.resolve("link.pgdump"), elsewhere);
    // An old dump made by hand with an older time: removed like the others, by its age.
    Path byHand = Files.writeString(dumps.resolve("by-hand.pgdump"), "old");
    Files.setLastModifiedTime(byHand, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

    Convergence c = converge(spec("eeee").build());

    assertThat(c.reason()).endsWith("; removed 2 older; schema 1 tables, 3 columns");
    assertThat(dumpNames())
        .containsExactly(
            "20261206T121500Z-cccc.pgdump",
            "20261206T131500Z-dddd.pgdump",
            "20261206T141500Z-eeee.pgdump",
            "link.pgdump",
            "notes.txt");
    assertThat(elsewhere).hasContent("keep me");
  }

  @Test
  void failedDump_leavesNoDumpFileAndNoMarker_soTheNextApplyDumpsAgain() throws Exception {
    answer = new ProgramRunner.Result(1, false, "", "pg_dump: error: connection failed", "");

    Convergence c = converge(spec("3f2a9c1e0b7d").build());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("pg_dump of shop: exit status 1");
    assertThat(c.outputTail()).contains("connection failed");
    assertThat(dumpNames()).isEmpty();
    assertThat(Path.of(spec("3f2a9c1e0b7d").getDoneMarker())).doesNotExist();

    answer = new ProgramRunner.Result(0, false, "", "", "");
    assertThat(converge(spec("3f2a9c1e0b7d").build()).changed()).isTrue();
  }

  @Test
  void partialFileOfADumpKilledMidway_isRemovedByTheNext() throws Exception {
    Files.createDirectories(dumps);
    Files.writeString(dumps.resolve(".20261206T090000Z-aaaa.pgdump.partial"), "PGDMP half");

    converge(spec("bbbb").build());

    assertThat(dumpNames()).containsExactly("20261206T101500Z-bbbb.pgdump");
  }

  @Test
  void refusals_nameTheField_andDumpNothing() throws Exception {
    assertThat(converge(spec("x").setDatabase("Shop;drop").build()).reason())
        .startsWith("database 'Shop;drop' is not a database name");
    assertThat(converge(spec("../x").build()).reason()).startsWith("label '../x' is not letters");
    assertThat(converge(spec("x").setDir("/var/backups").build()).reason())
        .startsWith("dir: path /var/backups is outside the allowed roots");
    assertThat(converge(spec("x").setDoneMarker("/etc/marker").build()).reason())
        .startsWith("done_marker: path /etc/marker is outside the allowed roots");
    assertThat(dumped).isEmpty();
  }

  @Test
  void dump_keepsTheSchemaItWasTakenOf_andSchemaSinceSaysWhetherItChanged() throws Exception {
    DatabaseDump.Builder dump = spec("3f2a9c1e0b7d");
    Convergence made = converge(dump.build());
    assertThat(made.reason()).endsWith("; schema 1 tables, 3 columns");
    DatabaseDump since = dump.setSchemaSince(true).build();

    Convergence same = converge(since);
    schemaRow = "1|2|" + "7d793037a0760186574b0282f2f435e7";
    Convergence changed = converge(since);

    assertThat(same.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(same.reason())
        .isEqualTo(
            "the schema of shop is as it was before this release's commands (1 tables, 3 columns);"
                + " the dump from before them: "
                + dumps.resolve("20261206T101500Z-3f2a9c1e0b7d.pgdump"));
    assertThat(changed.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(changed.reason())
        .startsWith(
            "the schema of shop changed in this release: 1 tables, 3 columns before its commands,"
                + " 1 tables, 2 columns now; the dump from before them: ");
    assertThat(dumped).hasSize(1);
  }

  @Test
  void schemaSince_withoutADump_orWithAnOldMarker_saysWhatItCannotTell() throws Exception {
    DatabaseDump since = spec("3f2a9c1e0b7d").setSchemaSince(true).build();
    assertThat(converge(since).reason())
        .startsWith("no dump was made before this release's commands");

    Path marker = Path.of(since.getDoneMarker());
    Files.createDirectories(marker.getParent());
    Files.writeString(marker, "/srv/shop/dumps/old.pgdump\n");

    assertThat(converge(since).reason())
        .isEqualTo(
            "the schema of shop was not taken with its dump: not known; the dump from before"
                + " them: /srv/shop/dumps/old.pgdump");
  }
}
