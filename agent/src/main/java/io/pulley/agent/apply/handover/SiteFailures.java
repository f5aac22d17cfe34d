package io.pulley.agent.apply.handover;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The release whose site failed once it had the traffic, remembered so that nothing but a new
 * revision switches to it again. Such a failure was seen by users for the moment of the check, and
 * it is what the release does behind nginx, not a passing fault: the agent's own retries and
 * reconvergences of the same revision would show it to users again each time. A new revision of the
 * application (a deploy, an apply of a fixed manifest, a rollback and then a redeploy) is an
 * admin's decision and tries again; so does any successful handover, after which the record is
 * gone. One file per web unit in the application's state directory (root-only). Not thread-safe;
 * one apply at a time.
 */
final class SiteFailures {
  /** A remembered failure: of {@code commit}, applied from {@code revision}, at {@code at}. */
  record Failure(long revision, String commit, Instant at, String reason) {}

  private final Path file;

  SiteFailures(Path stateDir, String webUnit) {
    this.file = stateDir.resolve("site-failures").resolve(webUnit);
  }

  /** The failure of {@code commit} from {@code revision}, if one is remembered. */
  Optional<Failure> of(long revision, String commit) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    Failure failure;
    try {
      failure =
          new Failure(
              Long.parseLong(p.getProperty("revision", "")),
              p.getProperty("commit", ""),
              Instant.ofEpochSecond(Long.parseLong(p.getProperty("at", ""))),
              p.getProperty("reason", ""));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      return Optional.empty(); // an unreadable record: the switch is tried, and checked, again
    }
    return failure.revision() == revision && failure.commit().equals(commit)
        ? Optional.of(failure)
        : Optional.empty();
  }

  /** Durably remembers {@code failure}, in place of any earlier one. */
  void remember(Failure failure) throws IOException {
    Properties p = new Properties();
    p.setProperty("revision", Long.toString(failure.revision()));
    p.setProperty("commit", failure.commit());
    p.setProperty("at", Long.toString(failure.at().getEpochSecond()));
    p.setProperty("reason", failure.reason());
    StringWriter text = new StringWriter();
    p.store(text, null);
    Files.createDirectories(
        file.getParent(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    AtomicWriter.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Forgets any failure: a handover succeeded. */
  void forget() throws IOException {
    Files.deleteIfExists(file);
  }
}
