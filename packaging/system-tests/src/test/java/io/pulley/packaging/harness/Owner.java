package io.pulley.packaging.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process that owns harness resources, identified by its PID and its start time (in clock ticks
 * since boot, field 22 of {@code /proc/PID/stat}) so that a reused PID does not count as the owner.
 * Immutable.
 */
record Owner(long pid, long startTicks) {

  static Owner current() {
    long pid = ProcessHandle.current().pid();
    return new Owner(pid, startTicks(pid).orElseThrow());
  }

  static Optional<Owner> of(long pid) {
    return startTicks(pid).map(ticks -> new Owner(pid, ticks));
  }

  boolean isAlive() {
    return startTicks(pid).map(ticks -> ticks == startTicks).orElse(false);
  }

  static Optional<Long> startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses; fields after it do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (fields[0].equals("Z") || fields[0].equals("X")) {
        return Optional.empty(); // exited, not yet reaped
      }
      return Optional.of(Long.parseLong(fields[19]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
