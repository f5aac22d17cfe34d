package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which threads of a process woke up over a window: each thread's CPU time ({@code utime + stime}
 * from {@code /proc/PID/task/TID/stat}) and its context switches (voluntary + involuntary, from
 * {@code .../status}), read twice inside the server. A thread that sleeps through the window shows
 * 0 switches; one on a timer shows one switch (or two) per tick of it.
 */
final class ThreadCpu {
  private final long ticksPerSecond;
  private final Map<String, Reading> readings;

  private ThreadCpu(long ticksPerSecond, Map<String, Reading> readings) {
    this.ticksPerSecond = ticksPerSecond;
    this.readings = readings;
  }

  /** One thread at one time. */
  private record Reading(String name, long ticks, long switches) {}

  /** The per-thread change between two readings of the same process. */
  record Row(String name, long cpuMs, long wakeUps) {}

  /** Reads every thread of {@code pid} at once (one shell in the server). */
  static ThreadCpu read(PristineServer server, long pid) {
    long ticksPerSecond = Long.parseLong(server.execOrThrow("getconf", "CLK_TCK").stdout().strip());
    // One line per thread: "TID<TAB>stat<TAB>voluntary involuntary".
    String script =
        "cd /proc/"
            + pid
            + "/task && for t in *; do"
            + " s=$(cat $t/stat) || continue;"
            + " w=$(awk '/ctxt_switches/ {n += $2} END {print n}' $t/status);"
            + " printf '%s\\t%s\\t%s\\n' \"$t\" \"$s\" \"$w\"; done";
    String out = server.execOrThrow("sh", "-c", script).stdout();
    Map<String, Reading> readings = new HashMap<>();
    for (String line : out.lines().toList()) {
      String[] parts = line.split("\t");
      String stat = parts[1];
      String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      readings.put(parts[0], new Reading(name, ticks, Long.parseLong(parts[2].strip())));
    }
    return new ThreadCpu(ticksPerSecond, readings);
  }

  /** Threads that used CPU or woke between this reading and {@code later}, busiest first. */
  List<Row> until(ThreadCpu later) {
    List<Row> rows = new ArrayList<>();
    later.readings.forEach(
        (tid, end) -> {
          Reading start = readings.getOrDefault(tid, new Reading(end.name(), 0, 0));
          rows.add(
              new Row(
                  end.name(),
                  (end.ticks() - start.ticks()) * 1000 / ticksPerSecond,
                  end.switches() - start.switches()));
        });
    rows.sort(
        Comparator.comparingLong(Row::cpuMs)
            .thenComparingLong(Row::wakeUps)
            .reversed()
            .thenComparing(Row::name));
    return rows;
  }

  /** A Markdown table of {@code rows} (threads that never woke are summed in one line). */
  static String table(List<Row> rows, long windowSeconds) {
    StringBuilder out = new StringBuilder();
    out.append("| thread | CPU ms | wake-ups | wake-ups per minute |\n|---|---:|---:|---:|\n");
    int asleep = 0;
    for (Row row : rows) {
      if (row.cpuMs() == 0 && row.wakeUps() == 0) {
        asleep++;
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.1f |%n",
              row.name(),
              row.cpuMs(),
              row.wakeUps(),
              row.wakeUps() * 60.0 / windowSeconds));
    }
    out.append("| (").append(asleep).append(" threads asleep throughout) | 0 | 0 | 0 |\n");
    return out.toString();
  }
}
