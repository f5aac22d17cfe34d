package io.pulley.agent.apply;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The resources of one application that changed in an apply that did not run to its end (a failure,
 * a stop, a crash). A service restarted "when X changed" must still be restarted after such an
 * apply, although X is unchanged the next time: so the ids are kept on disk until an apply of the
 * application runs every resource, and the next apply starts from them. One file per application
 * and environment; used from the apply thread only.
 */
final class UnfinishedChanges {
  private static final String FILE = "unfinished-changes";

  private final Path file;

  UnfinishedChanges(Path stateDir) {
    this.file = stateDir.resolve(FILE);
  }

  /** The ids recorded by an earlier apply that did not finish; empty if there was none. */
  Set<String> load() throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    if (Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          ids.add(line.strip());
        }
      }
    }
    return ids;
  }

  /** Records {@code ids} before the apply goes on, so that a crash right after keeps them. */
  void record(Set<String> ids) throws IOException {
    Files.createDirectories(file.getParent());
    AtomicWriter.write(file, (String.join("\n", ids) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Forgets them: every resource of the application ran. */
  void clear() throws IOException {
    Files.deleteIfExists(file);
  }
}
