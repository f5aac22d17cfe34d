package io.pulley.agent.apply.git;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An order of releases, oldest first, kept in a small text file (one commit per line): the order
 * they were switched to (so pruning removes the release switched away from longest ago, which
 * mtimes would not tell reliably) or the order they were checked out. Not thread-safe; one apply at
 * a time.
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

  /** Records {@code commit} as the newest: it moves to the end of the list. */
  void append(String commit) throws IOException {
    List<String> commits = read();
    if (!commits.isEmpty() && commits.get(commits.size() - 1).equals(commit)) {
      return;
    }
    commits.remove(commit);
    commits.add(commit);
    write(commits);
  }

  /** The newest entry, if any. */
  Optional<String> newest() throws IOException {
    List<String> commits = read();
    return commits.isEmpty() ? Optional.empty() : Optional.of(commits.get(commits.size() - 1));
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
