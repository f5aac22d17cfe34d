package io.pulley.agent.apply.command;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.v1.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a command as an argument list in a minimal environment. Idempotent only through its guards:
 * {@code creates} (skip if the path exists) and {@code unless} (skip if that command exits 0); an
 * unguarded command runs on every apply and reports CHANGED each time. Not thread-safe per
 * resource; one apply at a time.
 */
public final class CommandExecutor implements ResourceExecutor<Command> {
  static final int DEFAULT_TIMEOUT_SECONDS = 300;
  static final Map<String, String> BASE_ENV =
      Map.of(
          "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "LANG", "C.UTF-8");

  private final ProcessRunner runner = new ProcessRunner();

  @Override
  public Convergence converge(Command spec, ApplyContext context) {
    if (spec.getArgvCount() == 0) {
      return Convergence.failed("argv is empty");
    }
    String dir = spec.getWorkingDir().isEmpty() ? "/" : spec.getWorkingDir();
    Path workingDir = Path.of(dir);
    if (!workingDir.isAbsolute() || !Files.isDirectory(workingDir)) {
      return Convergence.failed("working_dir " + dir + " is not an absolute, existing directory");
    }
    if (spec.getTimeoutSeconds() < 0) {
      return Convergence.failed(
          "timeout_seconds must not be negative: " + spec.getTimeoutSeconds());
    }
    int seconds =
        spec.getTimeoutSeconds() == 0 ? DEFAULT_TIMEOUT_SECONDS : spec.getTimeoutSeconds();
    Duration timeout = Duration.ofSeconds(seconds);
    Map<String, String> env = new LinkedHashMap<>(BASE_ENV);
    env.putAll(spec.getEnvMap());
    if (!spec.getCreates().isEmpty()) {
      if (!Path.of(spec.getCreates()).isAbsolute()) {
        return Convergence.failed("creates " + spec.getCreates() + " is not absolute");
      }
      if (Files.exists(Path.of(spec.getCreates()))) {
        return Convergence.unchanged("skipped: " + spec.getCreates() + " exists");
      }
    }
    try {
      if (spec.getUnlessCount() > 0) {
        ProcessRunner.Result guard = runner.run(spec.getUnlessList(), workingDir, env, timeout);
        if (guard.startError().isEmpty() && !guard.timedOut() && guard.exitCode() == 0) {
          return Convergence.unchanged("skipped: unless command exited 0");
        }
      }
      return outcome(runner.run(spec.getArgvList(), workingDir, env, timeout), seconds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted; the command was killed");
    }
  }

  private static Convergence outcome(ProcessRunner.Result run, int seconds) {
    Convergence c;
    if (!run.startError().isEmpty()) {
      c = Convergence.failed(run.startError());
    } else if (run.timedOut()) {
      c = Convergence.failed("timed out after " + seconds + "s");
    } else if (run.exitCode() != 0) {
      c = Convergence.failed("exit status " + run.exitCode());
    } else {
      c = Convergence.changed("ran, exit status 0");
    }
    return c.withOutputTail(run.outputTail());
  }
}
