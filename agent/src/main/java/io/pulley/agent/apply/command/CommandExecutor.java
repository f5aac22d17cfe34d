package io.pulley.agent.apply.command;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.accounts.AccountDatabase;
import io.pulley.agent.apply.accounts.AccountDatabase.UserEntry;
import io.pulley.agent.apply.accounts.AccountNames;
import io.pulley.agent.apply.process.CommandEnvironment;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import io.pulley.v1.lite.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a command as an argument list in a minimal environment (with the variables of its
 * environment file, see {@link CommandEnvironment}), as root or as a given user. Idempotent only
 * through its guards: {@code creates} (skip if the path exists), {@code unless} (skip if that
 * command exits 0) and {@code done_marker} (skip while it exists; created after success); an
 * unguarded command runs on every apply and reports CHANGED each time. Output tails are scrubbed of
 * the application's secrets. One apply at a time.
 */
public final class CommandExecutor implements ResourceExecutor<Command> {
  static final int DEFAULT_TIMEOUT_SECONDS = 300;
  // An absolute path, so a spec's PATH (a virtualenv's bin, say) cannot lose or replace it.
  static final String RUNUSER = "/usr/sbin/runuser";

  private final PathGuard guard;
  private final CommandRunner runner;
  private final AccountDatabase accounts;

  /**
   * @param guard where done markers may be created
   */
  public CommandExecutor(PathGuard guard, CommandRunner runner) {
    this.guard = guard;
    this.runner = runner;
    this.accounts = new AccountDatabase(runner);
  }

  @Override
  public Convergence converge(Command spec, ApplyContext context) throws IOException {
    Optional<String> refused = refusal(spec);
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    Path workingDir = Path.of(spec.getWorkingDir().isEmpty() ? "/" : spec.getWorkingDir());
    int seconds =
        spec.getTimeoutSeconds() == 0 ? DEFAULT_TIMEOUT_SECONDS : spec.getTimeoutSeconds();
    Duration timeout = Duration.ofSeconds(seconds);
    if (!spec.getCreates().isEmpty() && Files.exists(Path.of(spec.getCreates()))) {
      return Convergence.unchanged("skipped: " + spec.getCreates() + " exists");
    }
    if (!spec.getDoneMarker().isEmpty() && Files.exists(Path.of(spec.getDoneMarker()))) {
      return Convergence.unchanged("already done: " + spec.getDoneMarker() + " exists");
    }
    try {
      Optional<String> home = Optional.empty();
      if (!spec.getUser().isEmpty()) {
        Optional<UserEntry> user = accounts.user(spec.getUser());
        if (user.isEmpty()) {
          return Convergence.failed("user " + spec.getUser() + " does not exist");
        }
        home = Optional.of(user.get().home());
      }
      Map<String, String> env;
      try {
        env = CommandEnvironment.of(spec, home);
      } catch (IOException e) {
        return Convergence.failed(e.getMessage());
      }
      if (spec.getUnlessCount() > 0) {
        Invocation guardRun = invocation(spec.getUnlessList(), spec, workingDir, env, timeout);
        if (runner.run(guardRun).succeeded()) {
          return Convergence.unchanged("skipped: unless command exited 0");
        }
      }
      Invocation main = invocation(spec.getArgvList(), spec, workingDir, env, timeout);
      return finish(spec, runner.run(main), timeout, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted; the command was killed");
    }
  }

  private Optional<String> refusal(Command spec) throws IOException {
    if (spec.getArgvCount() == 0) {
      return Optional.of("argv is empty");
    }
    String dir = spec.getWorkingDir().isEmpty() ? "/" : spec.getWorkingDir();
    if (!Path.of(dir).isAbsolute() || !Files.isDirectory(Path.of(dir))) {
      return Optional.of("working_dir " + dir + " is not an absolute, existing directory");
    }
    if (spec.getTimeoutSeconds() < 0) {
      return Optional.of("timeout_seconds must not be negative: " + spec.getTimeoutSeconds());
    }
    if (!spec.getCreates().isEmpty() && !Path.of(spec.getCreates()).isAbsolute()) {
      return Optional.of("creates " + spec.getCreates() + " is not absolute");
    }
    if (!spec.getUser().isEmpty()) {
      Optional<String> badUser = AccountNames.refusal("user", spec.getUser());
      if (badUser.isPresent()) {
        return badUser;
      }
    }
    return spec.getDoneMarker().isEmpty()
        ? Optional.empty()
        : guard.check(spec.getDoneMarker()).map(reason -> "done_marker: " + reason);
  }

  /** Runs {@code argv} directly, or through runuser as the spec's user (never through a shell). */
  private static Invocation invocation(
      List<String> argv, Command spec, Path workingDir, Map<String, String> env, Duration timeout) {
    List<String> full = new ArrayList<>();
    if (!spec.getUser().isEmpty()) {
      full.addAll(List.of(RUNUSER, "-u", spec.getUser(), "--"));
    }
    full.addAll(argv);
    return new Invocation(full, workingDir, env, "", timeout);
  }

  private static Convergence finish(
      Command spec, Result run, Duration timeout, ApplyContext context) throws IOException {
    String tail = SecretScrubber.scrub(run.outputTail(), context);
    if (!run.succeeded()) {
      String reason = run.failure(timeout);
      return Convergence.failed(MissingModule.hint(tail).map(h -> reason + "; " + h).orElse(reason))
          .withOutputTail(tail);
    }
    if (!spec.getDoneMarker().isEmpty()) {
      Path marker = Path.of(spec.getDoneMarker());
      Files.createDirectories(marker.getParent());
      Files.write(marker, new byte[0]);
    }
    return Convergence.changed("ran, exit status 0").withOutputTail(tail);
  }
}
