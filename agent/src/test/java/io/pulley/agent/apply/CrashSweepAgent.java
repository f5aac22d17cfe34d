package io.pulley.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One run of {@link CrashSweepChild}, the agent's apply, in a process group of its own (started
 * through setsid), so that a kill takes the agent and every program it runs at once, as systemd
 * kills the agent's control group before it restarts the agent: no pip left running beside the
 * restarted apply.
 */
final class CrashSweepAgent {
  private static final long START_MILLIS = 10_000;

  private final Process process;
  private final Process killer;

  private CrashSweepAgent(Process process, Process killer) {
    this.process = process;
    this.killer = killer;
  }

  /**
   * Starts an apply of {@code plan} on {@code server}; with {@code holdAt}, it waits before that
   * resource until {@link #go}.
   */
  static CrashSweepAgent start(
      CrashSweepServer server, Path plan, Path report, Optional<String> holdAt, Path log)
      throws IOException, InterruptedException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "setsid",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CrashSweepChild.class.getName(),
                server.srv().toString(),
                server.dataDir().toString(),
                plan.toString(),
                report.toString()));
    holdAt.ifPresent(id -> argv.addAll(List.of(id, server.held().toString())));
    Files.deleteIfExists(server.held());
    Process process =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    // setsid runs java in its place (same pid) once it leads a group of its own.
    long deadline = System.currentTimeMillis() + START_MILLIS;
    while (group(process.pid()) != process.pid()) {
      assertThat(process.isAlive() && System.currentTimeMillis() < deadline)
          .as("the agent's process leads its own group")
          .isTrue();
      Thread.sleep(1);
    }
    // Started now and waiting for a line: a kill then lands within a fraction of a millisecond,
    // not after a process start. kill(2) on the group: atomic, so no program the apply forks just
    // then escapes it.
    Process killer =
        new ProcessBuilder(
                "sh",
                "-c",
                "read go && kill -s KILL -- \"-$1\"",
                "sh",
                Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    return new CrashSweepAgent(process, killer);
  }

  /** Waits until the apply holds at its resource; false if it ended first. */
  boolean awaitHeld(Path held) throws InterruptedException {
    while (!Files.exists(held)) {
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  /** Lets a held apply go on. */
  void go() throws IOException {
    process.getOutputStream().write('g');
    process.getOutputStream().flush();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the apply to end by itself; its exit status. */
  int await() throws InterruptedException {
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the apply ends").isTrue();
    killer.destroy();
    return process.exitValue();
  }

  /** SIGKILL to the whole group, then waits until none of it runs any more. */
  void kill() throws IOException, InterruptedException {
    long pid = process.pid();
    killer.getOutputStream().write('\n');
    killer.getOutputStream().flush();
    assertThat(killer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!members(pid).isEmpty()) {
      assertThat(System.currentTimeMillis()).as("group %d gone", pid).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** The live processes (zombies aside) of process group {@code group}. */
  private static List<Long> members(long group) throws IOException {
    List<Long> members = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        Optional<String[]> stat = stat(Long.parseLong(name));
        if (stat.isPresent()
            && !stat.get()[0].equals("Z")
            && Long.parseLong(stat.get()[2]) == group) {
          members.add(Long.parseLong(name));
        }
      }
    }
    return members;
  }

  private static long group(long pid) {
    return stat(pid).map(s -> Long.parseLong(s[2])).orElse(-1L);
  }

  /** /proc/PID/stat after the command's name: state, ppid, pgrp, …; empty once it is gone. */
  private static Optional<String[]> stat(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // gone while it was read
    }
  }
}
