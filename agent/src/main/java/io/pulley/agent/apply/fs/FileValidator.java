package io.pulley.agent.apply.fs;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.ProcessRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a file's {@code validate} command (such as {@code nginx -t}) after the file is written. The
 * command's output is scrubbed of the application's secrets: a validator may echo the file it
 * rejects. Stateless and thread-safe.
 */
final class FileValidator {
  static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Map<String, String> ENV =
      Map.of(
          "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "LANG", "C.UTF-8");

  private final ProcessRunner runner = new ProcessRunner();

  /** Why the command rejected the file, and the tail of what it said. */
  record Rejection(String reason, String outputTail) {
    /** FAILED, saying what was done about the rejected file. */
    Convergence failure(String undone) {
      return Convergence.failed(reason + "; " + undone).withOutputTail(outputTail);
    }
  }

  /** Empty when there is no command or it exits 0. */
  Optional<Rejection> check(List<String> argv, ApplyContext context) {
    if (argv.isEmpty()) {
      return Optional.empty();
    }
    String name = "validate " + String.join(" ", argv);
    CommandRunner.Result run;
    try {
      run = runner.run(CommandRunner.Invocation.of(argv, TIMEOUT).withEnv(ENV));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(new Rejection(name + " was interrupted", ""));
    }
    String tail = SecretScrubber.scrub(run.outputTail(), context);
    if (!run.startError().isEmpty()) {
      return Optional.of(new Rejection("validate: " + run.startError(), tail));
    }
    if (run.timedOut()) {
      return Optional.of(
          new Rejection(name + " timed out after " + TIMEOUT.toSeconds() + "s", tail));
    }
    if (run.exitCode() != 0) {
      return Optional.of(new Rejection(name + " exited " + run.exitCode(), tail));
    }
    return Optional.empty();
  }
}
