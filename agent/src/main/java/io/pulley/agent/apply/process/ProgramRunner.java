package io.pulley.agent.apply.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one argument list (never through a shell) with bytes on its standard input and a timeout,
 * keeping its standard output (up to a bound) apart from the tail of its error output. On timeout
 * the process and its descendants are killed. Stateless and thread-safe.
 */
public final class ProgramRunner {
  static final int STDOUT_LIMIT = 1 << 20;
  static final int TAIL_CHARS = 4096;
  private static final Duration DRAIN_AFTER_KILL = Duration.ofSeconds(10);

  /**
   * How a run ended. {@code startError} is set when the program could not be started; {@code
   * stdout} keeps the last {@link #STDOUT_LIMIT} bytes, {@code stderr} the last few kilobytes.
   */
  public record Result(
      int exitCode, boolean timedOut, String stdout, String stderr, String startError) {

    /** Started, finished in time and exited 0. */
    public boolean succeeded() {
      return startError.isEmpty() && !timedOut && exitCode == 0;
    }

    /** The last few kilobytes of standard output followed by standard error, for a report. */
    public String outputTail() {
      boolean joined = stdout.isEmpty() || stderr.isEmpty() || stdout.endsWith("\n");
      String all = joined ? stdout + stderr : stdout + "\n" + stderr;
      return all.length() <= TAIL_CHARS ? all : all.substring(all.length() - TAIL_CHARS);
    }

    /** One line saying why the run did not succeed, for a report reason. */
    public String failure() {
      if (!startError.isEmpty()) {
        return startError;
      }
      return timedOut ? "timed out" : "exit status " + exitCode;
    }
  }

  /**
   * Runs {@code argv} in {@code workingDir} with exactly {@code env}; {@code argv[0]} is looked up
   * in the child's PATH unless it contains a slash.
   */
  public Result run(
      List<String> argv, Path workingDir, Map<String, String> env, byte[] stdin, Duration timeout)
      throws InterruptedException {
    return run(argv, workingDir, env, stdin, timeout, null);
  }

  /**
   * The same with the program's standard output written to {@code stdoutFile}, which must exist
   * (with the mode it is to have; it is truncated), rather than kept: for output of any size, such
   * as a database dump. The result's {@code stdout} is then empty.
   */
  public Result runToFile(
      List<String> argv,
      Path workingDir,
      Map<String, String> env,
      Path stdoutFile,
      Duration timeout)
      throws InterruptedException {
    return run(argv, workingDir, env, new byte[0], timeout, stdoutFile);
  }

  private Result run(
      List<String> argv,
      Path workingDir,
      Map<String, String> env,
      byte[] stdin,
      Duration timeout,
      Path stdoutFile)
      throws InterruptedException {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv is empty");
    }
    Optional<Path> program = ProcessRunner.locate(argv.get(0), workingDir, env.get("PATH"));
    if (program.isEmpty()) {
      return new Result(-1, false, "", "", "program '" + argv.get(0) + "' not found in PATH");
    }
    List<String> command = new ArrayList<>(argv);
    command.set(0, program.get().toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    if (stdoutFile != null) {
      builder.redirectOutput(ProcessBuilder.Redirect.to(stdoutFile.toFile()));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Result(-1, false, "", "", "cannot start " + argv.get(0) + ": " + e.getMessage());
    }
    Pump out = new Pump(process.getInputStream(), STDOUT_LIMIT, "stdout");
    Pump err = new Pump(process.getErrorStream(), TAIL_CHARS, "stderr");
    Thread feeder = feed(process.getOutputStream(), stdin);
    boolean timedOut = false;
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        killTree(process);
        process.waitFor(DRAIN_AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
      }
      out.join(DRAIN_AFTER_KILL.toMillis());
      err.join(DRAIN_AFTER_KILL.toMillis());
      feeder.join(DRAIN_AFTER_KILL.toMillis());
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    }
    int exit = process.isAlive() ? -1 : process.exitValue();
    return new Result(exit, timedOut, out.text(), err.text(), "");
  }

  private static Thread feed(OutputStream stdin, byte[] bytes) {
    Thread feeder =
        new Thread(
            () -> {
              try (stdin) {
                stdin.write(bytes);
              } catch (IOException e) {
                // The program exited without reading all of its input; its exit status says why.
              }
            },
            "program-stdin");
    feeder.setDaemon(true);
    feeder.start();
    return feeder;
  }

  private static void killTree(Process process) {
    // Collect the children first: once the parent is gone they are reparented and harder to find.
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /** Reads one stream to its end on its own thread, keeping only the last {@code limit} bytes. */
  private static final class Pump extends Thread {
    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;

    Pump(InputStream in, int limit, String name) {
      super("program-" + name);
      this.in = in;
      this.limit = limit;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          keep(buf, n);
        }
      } catch (IOException e) {
        // The stream closes when the process is killed; what was read so far is kept.
      }
    }

    private synchronized void keep(byte[] buf, int n) {
      kept.write(buf, 0, n);
      if (kept.size() > 2 * limit) {
        byte[] all = kept.toByteArray();
        kept.reset();
        kept.write(all, all.length - limit, limit);
        truncated = true;
      }
    }

    synchronized String text() {
      byte[] all = kept.toByteArray();
      int from = Math.max(0, all.length - limit);
      boolean cut = truncated || from > 0;
      // Skip UTF-8 continuation bytes cut off from their lead byte.
      while (cut && from < all.length && (all[from] & 0xC0) == 0x80) {
        from++;
      }
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }
  }
}
