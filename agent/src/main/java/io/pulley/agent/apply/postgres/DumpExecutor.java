package io.pulley.agent.apply.postgres;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.process.ProgramRunner;
import io.pulley.agent.files.AtomicWriter;
import io.pulley.v1.lite.DatabaseDump;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Converges a {@link DatabaseDump}: once per release (its done marker), pg_dump of the database in
 * the custom format, run as the postgres user over the local socket, into a file beside the
 * releases, then the oldest dumps beyond {@code keep} removed. The dump is written to a temporary
 * file and renamed once pg_dump succeeded, so a file named {@code *.pgdump} is always whole; the
 * marker comes last. Dumps hold all the application's data: root's, mode 0600 in a 0700 directory.
 * Stateless; one apply at a time.
 */
public final class DumpExecutor implements ResourceExecutor<DatabaseDump> {
  static final int DEFAULT_KEEP = 5;
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  private static final Pattern DATABASE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Runs pg_dump; tests replace it with a program that writes a file. */
  @FunctionalInterface
  interface Dumper {
    ProgramRunner.Result dump(String database, Path into, Duration timeout)
        throws IOException, InterruptedException;
  }

  private final PathGuard guard;
  private final Dumper dumper;
  private final Psql psql;
  private final Clock clock;

  public DumpExecutor(PathGuard guard) {
    this(guard, new PgDump(Map.of()), new RunuserPsql(), Clock.systemUTC());
  }

  DumpExecutor(PathGuard guard, Dumper dumper, Psql psql, Clock clock) {
    this.guard = guard;
    this.dumper = dumper;
    this.psql = psql;
    this.clock = clock;
  }

  @Override
  public Convergence converge(DatabaseDump spec, ApplyContext context) throws IOException {
    Optional<String> refused = refusal(spec);
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    Path marker = Path.of(spec.getDoneMarker());
    if (spec.getSchemaSince()) {
      return SchemaSince.check(spec.getDatabase(), DumpMarker.read(marker), psql);
    }
    Optional<DumpMarker> made = DumpMarker.read(marker);
    if (made.isPresent()) {
      return Convergence.unchanged("made before this release's migrations: " + made.get().dump());
    }
    Path dir = Path.of(spec.getDir());
    Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path dump =
        dir.resolve(TIME.format(clock.instant()) + "-" + spec.getLabel() + DumpRotation.SUFFIX);
    Path partial = dir.resolve("." + dump.getFileName() + ".partial");
    DumpRotation.removePartials(dir);
    Files.createFile(
        partial,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Duration timeout =
        spec.getTimeoutSeconds() > 0
            ? Duration.ofSeconds(spec.getTimeoutSeconds())
            : DEFAULT_TIMEOUT;
    ProgramRunner.Result run;
    try {
      run = dumper.dump(spec.getDatabase(), partial, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Files.deleteIfExists(partial);
      return Convergence.failed("interrupted during pg_dump");
    }
    String tail = SecretScrubber.scrub(run.outputTail(), context);
    if (!run.succeeded()) {
      Files.deleteIfExists(partial);
      return Convergence.failed("pg_dump of " + spec.getDatabase() + ": " + run.failure())
          .withOutputTail(tail);
    }
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(partial, dump, StandardCopyOption.ATOMIC_MOVE);
    AtomicWriter.syncDirectory(dir);
    List<Path> removed =
        DumpRotation.keepNewest(dir, spec.getKeep() > 0 ? spec.getKeep() : DEFAULT_KEEP, dump);
    Optional<SchemaFingerprint> schema = SchemaFingerprint.of(psql, spec.getDatabase());
    Files.createDirectories(marker.getParent());
    AtomicWriter.write(
        marker, new DumpMarker(dump, schema).text().getBytes(StandardCharsets.UTF_8));
    String size = size(Files.size(dump));
    return Convergence.changed(
            "dumped "
                + spec.getDatabase()
                + " to "
                + dump
                + " ("
                + size
                + ")"
                + (removed.isEmpty() ? "" : "; removed " + removed.size() + " older")
                + schema.map(taken -> "; schema " + taken.counts()).orElse(""))
        .withOutputTail(tail);
  }

  private Optional<String> refusal(DatabaseDump spec) throws IOException {
    if (!DATABASE.matcher(spec.getDatabase()).matches()) {
      return Optional.of(
          "database '"
              + spec.getDatabase()
              + "' is not a database name (lower-case letters, digits, _)");
    }
    if (!LABEL.matcher(spec.getLabel()).matches()) {
      return Optional.of("label '" + spec.getLabel() + "' is not letters, digits, - and _");
    }
    Optional<String> dir = guard.check(spec.getDir()).map(r -> "dir: " + r);
    if (dir.isPresent()) {
      return dir;
    }
    return guard.check(spec.getDoneMarker()).map(r -> "done_marker: " + r);
  }

  /** A size as people read it: "812 B", "3.4 MiB". */
  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
