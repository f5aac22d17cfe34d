package io.pulley.agent.apply.postgres;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which dumps a directory keeps: the newest few by modification time, the one just made always, and
 * nothing that is not a dump (other files, symlinks and the temporary files of a dump cut short are
 * never touched here). Stateless.
 */
final class DumpRotation {
  private DumpRotation() {}

  /** A dump's file name ends so; its temporary file is {@code .NAME.partial}. */
  static final String SUFFIX = ".pgdump";

  /**
   * Removes the dumps ({@code *.pgdump}, regular files) of {@code dir} beyond the newest {@code
   * keep}, never {@code made}; returns the removed ones.
   */
  static List<Path> keepNewest(Path dir, int keep, Path made) throws IOException {
    record Dump(Path path, FileTime modified) {}
    List<Dump> dumps = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.endsWith(SUFFIX)
            && !name.startsWith(".")
            && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          dumps.add(new Dump(entry, Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)));
        }
      }
    }
    // Newest first; the name (it starts with the time) settles equal times.
    dumps.sort(
        Comparator.comparing(Dump::modified)
            .thenComparing(d -> d.path().getFileName().toString())
            .reversed());
    List<Path> removed = new ArrayList<>();
    int kept = 1; // the one just made
    for (Dump dump : dumps) {
      if (dump.path().equals(made)) {
        continue;
      }
      if (kept < keep) {
        kept++;
      } else {
        Files.delete(dump.path());
        removed.add(dump.path());
      }
    }
    return removed;
  }

  /** Removes the temporary files ({@code .NAME.partial}) of dumps a kill or a crash cut short. */
  static void removePartials(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".partial")) {
          Files.deleteIfExists(entry);
        }
      }
    }
  }
}
