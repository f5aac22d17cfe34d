package io.pulley.agent.apply.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one argument list as a child process, never through a shell. The seam between executors and
 * the system: {@link ProcessRunner} runs real processes, tests record the calls instead.
 * Implementations are thread-safe; a call is as idempotent as the program it runs.
 */
public interface CommandRunner {
  /** The environment every command starts from; a spec's variables are added to it. */
  Map<String, String> BASE_ENV =
      Map.of(
          "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "LANG", "C.UTF-8");

  /**
   * Runs {@code invocation} and waits for it (killing it and its children at the timeout).
   *
   * @throws InterruptedException after killing the process, when the calling thread is interrupted
   */
  Result run(Invocation invocation) throws InterruptedException;

  /**
   * What to run. {@code stdin} is sent to the process as UTF-8 and then closed; the program is an
   * absolute path or looked up in the {@code PATH} of {@code env}.
   */
  record Invocation(
      List<String> argv, Path workingDir, Map<String, String> env, String stdin, Duration timeout) {
    public Invocation {
      argv = List.copyOf(argv);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("argv is empty");
      }
      Objects.requireNonNull(workingDir, "workingDir");
      env = Map.copyOf(env);
      Objects.requireNonNull(stdin, "stdin");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
    }

    /** {@code argv} in "/" with {@link #BASE_ENV}, no input and {@code timeout}. */
    public static Invocation of(List<String> argv, Duration timeout) {
      return new Invocation(argv, Path.of("/"), BASE_ENV, "", timeout);
    }

    public Invocation withEnv(Map<String, String> value) {
      return new Invocation(argv, workingDir, value, stdin, timeout);
    }

    public Invocation withWorkingDir(Path value) {
      return new Invocation(argv, value, env, stdin, timeout);
    }

    public Invocation withStdin(String value) {
      return new Invocation(argv, workingDir, env, value, timeout);
    }

    byte[] stdinBytes() {
      return stdin.getBytes(StandardCharsets.UTF_8);
    }

    /** The argument list joined by spaces, for reasons and logs (never for a shell). */
    public String display() {
      return String.join(" ", argv);
    }
  }

  /**
   * How a run ended. {@code startError} is set (and {@code exitCode} is -1) when the program could
   * not be started; {@code outputTail} is the end of stdout and stderr combined.
   */
  record Result(int exitCode, boolean timedOut, String outputTail, String startError) {
    public Result {
      Objects.requireNonNull(outputTail, "outputTail");
      Objects.requireNonNull(startError, "startError");
    }

    /** A process that ran to completion with {@code exitCode}. */
    public static Result exited(int exitCode, String outputTail) {
      return new Result(exitCode, false, outputTail, "");
    }

    /** Started, finished in time and exited 0. */
    public boolean succeeded() {
      return startError.isEmpty() && !timedOut && exitCode == 0;
    }

    /** Why the run did not succeed, in a few words: "exit status 3", "timed out after 5s". */
    public String failure(Duration timeout) {
      if (!startError.isEmpty()) {
        return startError;
      }
      if (timedOut) {
        return "timed out after " + timeout.toSeconds() + "s";
      }
      return "exit status " + exitCode;
    }
  }
}
