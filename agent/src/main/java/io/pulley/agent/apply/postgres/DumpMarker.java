package io.pulley.agent.apply.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The file that says a release's dump was made: the dump's path on its first line, then the schema
 * it was taken of ("schema 3 tables, 12 columns, 5d41…"), when psql could tell. Markers written
 * before the schema was kept have the path only.
 *
 * @param dump where the dump is
 * @param schema the database's schema when it was dumped
 */
record DumpMarker(Path dump, Optional<SchemaFingerprint> schema) {
  private static final String SCHEMA = "schema ";

  static Optional<DumpMarker> read(Path marker) throws IOException {
    if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    Optional<SchemaFingerprint> schema =
        lines.stream()
            .filter(line -> line.startsWith(SCHEMA))
            .findFirst()
            .flatMap(line -> SchemaFingerprint.parse(line.substring(SCHEMA.length()).strip()));
    return Optional.of(new DumpMarker(Path.of(lines.get(0).strip()), schema));
  }

  String text() {
    return dump + "\n" + schema.map(taken -> SCHEMA + taken + "\n").orElse("");
  }
}
