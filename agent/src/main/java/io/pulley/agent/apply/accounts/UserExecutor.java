package io.pulley.agent.apply.accounts;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.accounts.AccountDatabase.GroupEntry;
import io.pulley.agent.apply.accounts.AccountDatabase.UserEntry;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import io.pulley.v1.lite.User;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a system user exist with the declared primary group, home, shell and supplementary groups
 * (other groups it is in are left alone). The home directory is never created; declare a Directory
 * for it. Idempotent; one apply at a time.
 */
public final class UserExecutor implements ResourceExecutor<User> {
  static final String DEFAULT_HOME = "/nonexistent";
  static final String DEFAULT_SHELL = "/usr/sbin/nologin";
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final CommandRunner runner;
  private final AccountDatabase accounts;

  public UserExecutor(CommandRunner runner) {
    this.runner = runner;
    this.accounts = new AccountDatabase(runner);
  }

  /** The spec with its defaults filled in. */
  private record Wanted(String name, String group, String home, String shell, List<String> groups) {
    static Wanted of(User spec) {
      return new Wanted(
          spec.getName(),
          spec.getGroup().isEmpty() ? spec.getName() : spec.getGroup(),
          spec.getHome().isEmpty() ? DEFAULT_HOME : spec.getHome(),
          spec.getShell().isEmpty() ? DEFAULT_SHELL : spec.getShell(),
          List.copyOf(spec.getGroupsList()));
    }
  }

  @Override
  public Convergence converge(User spec, ApplyContext context) throws IOException {
    Wanted wanted = Wanted.of(spec);
    Optional<String> refused = refusal(wanted);
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    try {
      for (String g : wanted.groups()) {
        if (accounts.group(g).isEmpty()) {
          return Convergence.failed("supplementary group " + g + " does not exist");
        }
      }
      Optional<GroupEntry> primary = accounts.group(wanted.group());
      if (primary.isEmpty() && !spec.getGroup().isEmpty()) {
        return Convergence.failed(
            "primary group " + wanted.group() + " does not exist (declare a Group first)");
      }
      Optional<UserEntry> user = accounts.user(wanted.name());
      if (user.isEmpty()) {
        return create(wanted, primary.isPresent(), context);
      }
      return update(wanted, user.get(), primary, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted");
    }
  }

  private static Optional<String> refusal(Wanted wanted) {
    Optional<String> bad = AccountNames.refusal("user", wanted.name());
    for (String g : concat(wanted.group(), wanted.groups())) {
      bad = bad.or(() -> AccountNames.refusal("group", g));
    }
    for (String path : List.of(wanted.home(), wanted.shell())) {
      Path p = Path.of(path);
      if (bad.isEmpty() && (!p.isAbsolute() || !p.normalize().toString().equals(path))) {
        bad = Optional.of("path " + path + " is not absolute and normalised");
      }
    }
    return bad;
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  private Convergence create(Wanted wanted, boolean groupExists, ApplyContext context)
      throws InterruptedException {
    List<String> argv = new ArrayList<>(List.of("useradd", "--system"));
    // Without a declared group the user gets its own group, made here if it is missing.
    argv.addAll(groupExists ? List.of("--gid", wanted.group()) : List.of("--user-group"));
    argv.addAll(
        List.of("--home-dir", wanted.home(), "--no-create-home", "--shell", wanted.shell()));
    if (!wanted.groups().isEmpty()) {
      argv.addAll(List.of("--groups", String.join(",", wanted.groups())));
    }
    argv.add(wanted.name());
    return run(argv, context).orElse(Convergence.changed("created system user " + wanted.name()));
  }

  private Convergence update(
      Wanted wanted, UserEntry user, Optional<GroupEntry> primary, ApplyContext context)
      throws IOException, InterruptedException {
    List<String> changes = new ArrayList<>();
    List<String> argv = new ArrayList<>(List.of("usermod"));
    if (primary.isEmpty() || primary.get().gid() != user.gid()) {
      if (primary.isEmpty()) {
        return Convergence.failed("primary group " + wanted.group() + " does not exist");
      }
      argv.addAll(List.of("--gid", wanted.group()));
      changes.add("primary group → " + wanted.group());
    }
    if (!user.home().equals(wanted.home())) {
      argv.addAll(List.of("--home", wanted.home()));
      changes.add("home " + user.home() + " → " + wanted.home());
    }
    if (!user.shell().equals(wanted.shell())) {
      argv.addAll(List.of("--shell", wanted.shell()));
      changes.add("shell " + user.shell() + " → " + wanted.shell());
    }
    List<String> missing = missingGroups(wanted, user);
    if (!missing.isEmpty()) {
      argv.addAll(List.of("--append", "--groups", String.join(",", missing)));
      changes.add("added to " + String.join(", ", missing));
    }
    if (changes.isEmpty()) {
      return Convergence.unchanged("user " + wanted.name() + " is as declared");
    }
    argv.add(wanted.name());
    return run(argv, context).orElse(Convergence.changed(String.join(", ", changes)));
  }

  private List<String> missingGroups(Wanted wanted, UserEntry user)
      throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    for (String g : wanted.groups()) {
      GroupEntry entry = accounts.group(g).orElseThrow();
      if (entry.gid() != user.gid() && !entry.members().contains(user.name())) {
        missing.add(g);
      }
    }
    return missing;
  }

  /** Empty if {@code argv} succeeded, else the failure. */
  private Optional<Convergence> run(List<String> argv, ApplyContext context)
      throws InterruptedException {
    Invocation invocation = Invocation.of(argv, TIMEOUT);
    Result r = runner.run(invocation);
    if (r.succeeded()) {
      return Optional.empty();
    }
    return Optional.of(
        Convergence.failed(invocation.display() + ": " + r.failure(TIMEOUT))
            .withOutputTail(SecretScrubber.scrub(r.outputTail(), context)));
  }
}
