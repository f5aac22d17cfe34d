package io.pulley.packaging.system;

import io.pulley.packaging.harness.PristineServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A Pulley daemon installed from its .deb on a server: restarted with other JVM flags through a
 * systemd drop-in (what {@code systemctl edit} writes), and its process's memory and CPU time read
 * from {@code /proc} inside the server. Not thread-safe: one caller drives a service at a time.
 */
final class InstalledService {
  private static final String DROP_IN = "footprint.conf";

  private final PristineServer server;
  private final String unit;
  private final String javaOptsVariable;
  private final long ticksPerSecond;

  private InstalledService(
      PristineServer server, String unit, String javaOptsVariable, long ticksPerSecond) {
    this.server = server;
    this.unit = unit;
    this.javaOptsVariable = javaOptsVariable;
    this.ticksPerSecond = ticksPerSecond;
  }

  static InstalledService agent(PristineServer server) {
    return new InstalledService(server, "pulley-agent", "PULLEY_AGENT_JAVA_OPTS", ticks(server));
  }

  static InstalledService controller(PristineServer server) {
    return new InstalledService(
        server, "pulley-controller", "PULLEY_CONTROLLER_JAVA_OPTS", ticks(server));
  }

  /** Any other service, only to be sampled (it has no JVM flags to change). */
  static InstalledService sampledOnly(PristineServer server, String unit) {
    return new InstalledService(server, unit, "", ticks(server));
  }

  String unit() {
    return unit;
  }

  /**
   * Restarts the service with {@code javaOpts} in its launcher's variable, or with the flags it
   * ships with when empty; returns the new main PID.
   */
  long restartWith(Optional<String> javaOpts) {
    if (javaOptsVariable.isEmpty()) {
      throw new IllegalStateException(unit + " has no JVM flags to restart with");
    }
    String dir = "/etc/systemd/system/" + unit + ".service.d";
    if (javaOpts.isPresent()) {
      // Quoted as one assignment; an empty value makes the launcher pass no flags at all.
      server.writeFile(
          dir + "/" + DROP_IN,
          "[Service]\nEnvironment=\"" + javaOptsVariable + "=" + javaOpts.get() + "\"\n");
    } else {
      server.execOrThrow("rm", "-f", dir + "/" + DROP_IN);
    }
    server.execOrThrow("systemctl", "daemon-reload");
    server.execOrThrow("systemctl", "restart", unit);
    long pid = mainPid();
    if (pid == 0) {
      throw new IllegalStateException(unit + " is not running after a restart:\n" + journalTail());
    }
    return pid;
  }

  void stop() {
    server.execOrThrow("systemctl", "stop", unit);
  }

  long mainPid() {
    String pid =
        server.execOrThrow("systemctl", "show", "--property=MainPID", "--value", unit).stdout();
    return Long.parseLong(pid.strip());
  }

  /** The JVM's flags as the process got them: the words between {@code java} and {@code -jar}. */
  List<String> jvmFlags(long pid) {
    String cmdline = server.execOrThrow("cat", "/proc/" + pid + "/cmdline").stdout();
    List<String> argv = Arrays.asList(cmdline.split("\0"));
    int jar = argv.indexOf("-jar");
    if (jar < 1) {
      throw new IllegalStateException("not a `java … -jar` command line: " + argv);
    }
    return List.copyOf(argv.subList(1, jar));
  }

  /** Whether the process has {@code file} mapped, e.g. a CDS archive it was told to use. */
  boolean maps(long pid, String file) {
    return server.execOrThrow("cat", "/proc/" + pid + "/maps").stdout().contains(file);
  }

  Sample sample(long pid) {
    if (!server.exec("test", "-d", "/proc/" + pid).ok()) {
      // The daemon died or restarted between the readings: its journal says why.
      throw new IllegalStateException(unit + "'s process " + pid + " is gone:\n" + journalTail());
    }
    String rollup = server.execOrThrow("cat", "/proc/" + pid + "/smaps_rollup").stdout();
    String stat = server.execOrThrow("cat", "/proc/" + pid + "/stat").stdout();
    String status = server.execOrThrow("cat", "/proc/" + pid + "/status").stdout();
    // Fields after the command name, which may itself contain spaces: state is the first.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // utime and stime, then cutime and cstime: the children it waited for. Both agents run each
    // apply in a child (Pulley's apply JVM, Puppet's forked run), whose CPU counts as theirs.
    long ticks = 0;
    for (int field = 11; field <= 14; field++) {
      ticks += Long.parseLong(fields[field]);
    }
    return new Sample(
        kilobytes(rollup, "Rss:"),
        kilobytes(rollup, "Pss:"),
        ticks * 1000 / ticksPerSecond,
        (int) kilobytes(status, "Threads:"));
  }

  /**
   * Measures the process started by the last restart: a sample {@code settle} after it, another
   * {@code idle} later. Fails if the service restarted in between.
   */
  Measurement measure(long pid, Duration settle, Duration idle) throws InterruptedException {
    Thread.sleep(settle.toMillis());
    Sample first = sample(pid);
    Thread.sleep(idle.toMillis());
    Sample last = sample(pid);
    if (mainPid() != pid) {
      throw new IllegalStateException(unit + " restarted while measured:\n" + journalTail());
    }
    long idleCpuPerMinute = (last.cpuMs() - first.cpuMs()) * 60_000 / idle.toMillis();
    return new Measurement(first, last, idleCpuPerMinute);
  }

  String journalTail() {
    List<String> lines = server.journal(unit).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  private static long kilobytes(String proc, String key) {
    return proc.lines()
        .filter(line -> line.startsWith(key))
        .map(line -> line.substring(key.length()).replace("kB", "").strip())
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + key + " in:\n" + proc));
  }

  private static long ticks(PristineServer server) {
    return Long.parseLong(server.execOrThrow("getconf", "CLK_TCK").stdout().strip());
  }

  /** One reading of a process: resident and proportional set size, CPU time since it started. */
  record Sample(long rssKb, long pssKb, long cpuMs, int threads) {}

  /**
   * Start-up CPU is all CPU time up to the first sample; memory is read at the end of the idle
   * window.
   */
  record Measurement(Sample settled, Sample end, long idleCpuMsPerMinute) {}
}
