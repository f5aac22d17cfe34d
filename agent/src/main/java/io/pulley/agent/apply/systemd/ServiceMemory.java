package io.pulley.agent.apply.systemd;

import io.pulley.agent.files.AtomicWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * What the agent remembers about a service between applies: an action still owed to it (a restart
 * decided but not yet done survives a crash or a failure) and the state it was last converged to
 * (to recognise a service stopped by hand). One file per unit in the application's state directory.
 * Not thread-safe; one apply at a time.
 */
final class ServiceMemory {
  /** An action owed to a service, ordered by strength: a restart also does what a reload does. */
  enum Pending {
    NONE,
    RELOAD,
    RESTART;

    Pending atLeast(Pending other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  /**
   * @param converged the state last converged to: "running", "stopped", or "" if never
   */
  record Memory(Pending pending, String converged) {
    static final Memory EMPTY = new Memory(Pending.NONE, "");
  }

  private final Path dir;

  /**
   * @param stateDir the application's state directory
   */
  ServiceMemory(Path stateDir) {
    this.dir = stateDir.resolve("services");
  }

  Memory read(String unit) throws IOException {
    Path file = dir.resolve(unit);
    if (!Files.isRegularFile(file)) {
      return Memory.EMPTY;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    Pending pending;
    try {
      pending = Pending.valueOf(p.getProperty("pending", "NONE"));
    } catch (IllegalArgumentException e) {
      pending = Pending.RESTART; // an unreadable record errs on the side of restarting
    }
    return new Memory(pending, p.getProperty("converged", ""));
  }

  /** Durably records {@code memory}, so that it survives a crash right after this call. */
  void write(String unit, Memory memory) throws IOException {
    // Only root reads executor state: it says what the agent is about to do.
    Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    String text = "pending=" + memory.pending().name() + "\nconverged=" + memory.converged() + "\n";
    AtomicWriter.write(dir.resolve(unit), text.getBytes(StandardCharsets.UTF_8));
  }
}
