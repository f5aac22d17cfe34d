package io.pulley.agent.apply.git;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The order in which releases were switched to, oldest first, kept in a small text file (one commit
 * per line) so pruning removes the release switched away from longest ago, which mtimes would not
 * tell reliably. Not thread-safe; one apply at a time.
 */
final class ReleaseHistory {
  private final Path file;

  ReleaseHistory(Path file) {
    this.file = file;
  }

  List<String> read() throws IOException {
    if (!Files.exists(file)) {
      return new ArrayList<>();
    }
    List<String> commits = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        commits.add(line.strip());
      }
    }
    return commits;
  }

  /** Records a switch to {@code commit}: it moves to the end of the list. */
  void switchedTo(String commit) throws IOException {
    List<String> commits = read();
    commits.remove(commit);
    commits.add(commit);
    write(commits);
  }

  void forget(List<String> removed) throws IOException {
    List<String> commits = read();
    if (commits.removeAll(removed)) {
      write(commits);
    }
  }

  private void write(List<String> commits) throws IOException {
    String text = commits.isEmpty() ? "" : String.join("\n", commits) + "\n";
    AtomicWriter.write(file, text.getBytes(StandardCharsets.UTF_8));
  }
}
