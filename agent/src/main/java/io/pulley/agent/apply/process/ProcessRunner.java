package io.pulley.agent.apply.process;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one argument list (never through a shell) with a timeout, capturing the tail of its combined
 * output. Arguments reach the program byte for byte (no quoting, no variable expansion). On timeout
 * the process and its descendants are killed. Stateless and thread-safe.
 */
public final class ProcessRunner implements CommandRunner {
  private static final Pattern COLON = Pattern.compile(":");
  static final int TAIL_BYTES = 4096;
  private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(10);
  // A background child that keeps the output pipe open must not hold the apply up for long.
  private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);

  @Override
  public Result run(Invocation invocation) throws InterruptedException {
    List<String> argv = invocation.argv();
    Optional<Path> program =
        locate(argv.get(0), invocation.workingDir(), invocation.env().get("PATH"));
    if (program.isEmpty()) {
      return new Result(-1, false, "", "program '" + argv.get(0) + "' not found in PATH");
    }
    List<String> command = new ArrayList<>(argv);
    command.set(0, program.get().toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(invocation.workingDir().toFile())
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(invocation.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Result(-1, false, "", "cannot start " + argv.get(0) + ": " + e.getMessage());
    }
    TailBuffer tail = new TailBuffer(TAIL_BYTES);
    Thread pump = daemon("pulley-output", () -> copy(process.getInputStream(), tail));
    Thread feed = daemon("pulley-input", () -> feed(process.getOutputStream(), invocation));
    try {
      boolean exited = process.waitFor(invocation.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        killTree(process);
        process.waitFor(DRAIN_AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
      }
      pump.join((exited ? DRAIN_AFTER_EXIT : DRAIN_AFTER_KILL).toMillis());
      feed.join(DRAIN_AFTER_EXIT.toMillis());
      return new Result(exited ? process.exitValue() : -1, !exited, tail.tail(), "");
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void copy(InputStream from, OutputStream to) {
    byte[] buffer = new byte[8192];
    try (from) {
      int n;
      while ((n = from.read(buffer)) >= 0) {
        to.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // The pipe closed under us (the process was killed): the tail holds what arrived.
    }
  }

  private static void feed(OutputStream stdin, Invocation invocation) {
    try (stdin) {
      stdin.write(invocation.stdinBytes());
    } catch (IOException e) {
      // The program exited or closed its input without reading all of it; that is its business.
    }
  }

  /** Resolves the program as execvp would, but against the child's PATH, not the agent's. */
  static Optional<Path> locate(String program, Path workingDir, String path) {
    if (program.contains("/")) {
      Path p = workingDir.resolve(program);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : COLON.split(path == null ? "" : path)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Kills the process and its descendants, collected first so that new forks are not missed. */
  private static void killTree(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
