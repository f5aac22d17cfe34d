package io.pulley.controller.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads one Linux process's memory, CPU time and file limit from /proc. Thread-safe. */
final class ProcFs {
  /** USER_HZ is 100 on every Linux we know of; getconf is asked anyway. */
  private static final long DEFAULT_CLOCK_TICKS = 100;

  private static volatile long clockTicksPerSecond;

  private ProcFs() {}

  /** Resident set size and user+system CPU time of the process, as the kernel counts them. */
  static ProcessSample sample(long pid) throws IOException {
    return new ProcessSample(rssKib(pid), cpuMillis(pid));
  }

  /** The soft limit on open files ("Max open files"), or Long.MAX_VALUE if unlimited. */
  static long maxOpenFiles(long pid) throws IOException {
    for (String line : Files.readAllLines(procFile(pid, "limits"))) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
      }
    }
    throw new IOException("no 'Max open files' line in /proc/" + pid + "/limits");
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(procFile(pid, "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]);
      }
    }
    throw new IOException("no VmRSS line in /proc/" + pid + "/status");
  }

  private static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(procFile(pid, "stat"));
    // The command name (field 2) may hold spaces and parentheses; the fields after it do not.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    return (utime + stime) * 1000 / clockTicksPerSecond();
  }

  private static Path procFile(long pid, String name) {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive: " + pid);
    }
    return Path.of("/proc", Long.toString(pid), name);
  }

  private static long clockTicksPerSecond() {
    long ticks = clockTicksPerSecond;
    if (ticks == 0) {
      ticks = askGetconf();
      clockTicksPerSecond = ticks;
    }
    return ticks;
  }

  private static long askGetconf() {
    try {
      Process getconf =
          new ProcessBuilder(List.of("getconf", "CLK_TCK"))
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      String out;
      try (InputStream in = getconf.getInputStream()) {
        out = new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim();
      }
      if (!getconf.waitFor(5, TimeUnit.SECONDS)) {
        getconf.destroyForcibly();
        return DEFAULT_CLOCK_TICKS;
      }
      return getconf.exitValue() == 0 ? Long.parseLong(out) : DEFAULT_CLOCK_TICKS;
    } catch (IOException | NumberFormatException e) {
      return DEFAULT_CLOCK_TICKS;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DEFAULT_CLOCK_TICKS;
    }
  }
}
