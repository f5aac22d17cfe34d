package io.pulley.agent.apply.systemd;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The systemctl and journalctl calls a service needs. Thread-safe as its runner is. */
public final class Systemctl {
  private static final Pattern NEWLINE = Pattern.compile("\n");
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
  // systemctl waits for the job; a unit's own start timeout is 90 s unless it says otherwise.
  static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
  static final int JOURNAL_LINES = 20;

  private final CommandRunner runner;

  public Systemctl(CommandRunner runner) {
    this.runner = runner;
  }

  public void daemonReload() throws StepFailed, InterruptedException {
    check(List.of("systemctl", "daemon-reload"), JOB_TIMEOUT);
  }

  /** Enables {@code unit} unless it already is; true if it was enabled now. */
  public boolean enable(String unit) throws StepFailed, InterruptedException {
    Invocation query = Invocation.of(List.of("systemctl", "is-enabled", unit), QUERY_TIMEOUT);
    Result r = runner.run(query);
    if (!r.startError().isEmpty() || r.timedOut()) {
      throw new StepFailed(query.display() + ": " + r.failure(QUERY_TIMEOUT), r.outputTail());
    }
    // Exit 0 covers enabled, static, alias, indirect, generated: nothing to enable.
    if (r.exitCode() == 0) {
      return false;
    }
    if (r.outputTail().strip().startsWith("masked")) {
      throw new StepFailed(unit + " is masked (systemctl unmask it first)", r.outputTail());
    }
    check(List.of("systemctl", "enable", unit), JOB_TIMEOUT);
    return true;
  }

  public boolean isActive(String unit) throws StepFailed, InterruptedException {
    Invocation query = Invocation.of(List.of("systemctl", "is-active", unit), QUERY_TIMEOUT);
    Result r = runner.run(query);
    if (!r.startError().isEmpty() || r.timedOut()) {
      throw new StepFailed(query.display() + ": " + r.failure(QUERY_TIMEOUT), r.outputTail());
    }
    return r.exitCode() == 0;
  }

  public void start(String unit) throws StepFailed, InterruptedException {
    check(List.of("systemctl", "start", unit), JOB_TIMEOUT);
  }

  public void stop(String unit) throws StepFailed, InterruptedException {
    check(List.of("systemctl", "stop", unit), JOB_TIMEOUT);
  }

  /** Queues a stop job and returns: the unit is deactivating, and restarts no more. */
  public void stopNoBlock(String unit) throws StepFailed, InterruptedException {
    check(List.of("systemctl", "stop", "--no-block", unit), JOB_TIMEOUT);
  }

  /** Sends {@code signal} (such as "SIGINT") to every process of the unit, its main one too. */
  public void killAll(String unit, String signal) throws StepFailed, InterruptedException {
    check(List.of("systemctl", "kill", "--kill-whom=all", "--signal=" + signal, unit), JOB_TIMEOUT);
  }

  public void restart(String unit) throws StepFailed, InterruptedException {
    check(List.of("systemctl", "restart", unit), JOB_TIMEOUT);
  }

  public void reload(String unit) throws StepFailed, InterruptedException {
    check(List.of("systemctl", "reload", unit), JOB_TIMEOUT);
  }

  /** Disables {@code unit} if it is enabled; true if it was disabled now. */
  public boolean disable(String unit) throws StepFailed, InterruptedException {
    Invocation query = Invocation.of(List.of("systemctl", "is-enabled", unit), QUERY_TIMEOUT);
    Result r = runner.run(query);
    if (r.exitCode() != 0 || !r.outputTail().strip().equals("enabled")) {
      return false;
    }
    check(List.of("systemctl", "disable", unit), JOB_TIMEOUT);
    return true;
  }

  /**
   * The units matching {@code pattern} (a glob such as "shop-uwsgi@*.service") that are active,
   * activating, reloading or deactivating: every one that may still hold a socket or a task.
   */
  public List<String> running(String pattern) throws StepFailed, InterruptedException {
    Invocation query =
        Invocation.of(
            List.of(
                "systemctl",
                "list-units",
                "--plain",
                "--no-legend",
                "--all",
                "--state=active,activating,reloading,deactivating",
                pattern),
            QUERY_TIMEOUT);
    Result r = runner.run(query);
    if (!r.succeeded()) {
      throw new StepFailed(query.display() + ": " + r.failure(QUERY_TIMEOUT), r.outputTail());
    }
    List<String> units = new ArrayList<>();
    for (String line : NEWLINE.split(r.outputTail())) {
      String[] columns = BLANKS.split(line.strip());
      if (!columns[0].isEmpty()) {
        units.add(columns[0]);
      }
    }
    return units;
  }

  /**
   * Whether systemd is bringing one of {@code units} up: a start (or restart) job queued, waiting
   * for the units it is ordered after, or under way (a Type=notify service loading its application,
   * its ExecStartPost). Such a unit is not active yet, but not down either. A stop job is not
   * counted: the unit is going down.
   */
  public boolean starting(List<String> units) throws StepFailed, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("systemctl", "list-jobs", "--no-legend"));
    argv.addAll(units);
    Invocation query = Invocation.of(argv, QUERY_TIMEOUT);
    Result r = runner.run(query);
    if (!r.succeeded()) {
      throw new StepFailed(query.display() + ": " + r.failure(QUERY_TIMEOUT), r.outputTail());
    }
    // Rows are "ID UNIT TYPE STATE"; with --no-legend, no job prints nothing.
    for (String line : NEWLINE.split(r.outputTail())) {
      String[] columns = BLANKS.split(line.strip());
      if (columns.length > 2 && units.contains(columns[1]) && !columns[2].equals("stop")) {
        return true;
      }
    }
    return false;
  }

  /** Forgets a failed unit's state, so that a later start is not refused by its rate limit. */
  public void resetFailed(String unit) throws InterruptedException {
    runner.run(Invocation.of(List.of("systemctl", "reset-failed", unit), QUERY_TIMEOUT));
  }

  /** The unit's last journal lines, or an empty string if they cannot be read. */
  public String journal(String unit) throws InterruptedException {
    Invocation journal =
        Invocation.of(
            List.of("journalctl", "-u", unit, "-n", String.valueOf(JOURNAL_LINES), "--no-pager"),
            QUERY_TIMEOUT);
    Result r = runner.run(journal);
    return r.startError().isEmpty() ? r.outputTail() : "";
  }

  private void check(List<String> argv, Duration timeout) throws StepFailed, InterruptedException {
    Invocation invocation = Invocation.of(argv, timeout);
    Result r = runner.run(invocation);
    if (!r.succeeded()) {
      throw new StepFailed(invocation.display() + ": " + r.failure(timeout), r.outputTail());
    }
  }
}
