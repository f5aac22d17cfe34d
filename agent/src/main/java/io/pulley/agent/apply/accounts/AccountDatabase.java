package io.pulley.agent.apply.accounts;

import com.google.re2j.Pattern;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.CommandRunner.Invocation;
import io.pulley.agent.apply.process.CommandRunner.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads users and groups through {@code getent}, so accounts from every NSS source count, not only
 * those in /etc/passwd. Thread-safe; reads only.
 */
public final class AccountDatabase {
  private static final Pattern COMMA = Pattern.compile(",");
  private static final Pattern COLON = Pattern.compile(":");
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  // getent's exit status when the key is not in the database.
  private static final int NOT_FOUND = 2;

  /** A line of the passwd database. */
  public record UserEntry(String name, long uid, long gid, String home, String shell) {}

  /** A line of the group database; {@code members} are its supplementary members. */
  public record GroupEntry(String name, long gid, List<String> members) {}

  private final CommandRunner runner;

  public AccountDatabase(CommandRunner runner) {
    this.runner = runner;
  }

  /** The user {@code name}, or empty if there is none. */
  public Optional<UserEntry> user(String name) throws IOException, InterruptedException {
    return lookup("passwd", name)
        .map(
            f -> {
              check(f, 7, "passwd", name);
              return new UserEntry(f[0], number(f[2]), number(f[3]), f[5], f[6]);
            });
  }

  /** The group {@code name}, or empty if there is none. */
  public Optional<GroupEntry> group(String name) throws IOException, InterruptedException {
    return lookup("group", name)
        .map(
            f -> {
              check(f, 4, "group", name);
              List<String> members = f[3].isEmpty() ? List.of() : Arrays.asList(COMMA.split(f[3]));
              return new GroupEntry(f[0], number(f[2]), List.copyOf(members));
            });
  }

  private Optional<String[]> lookup(String database, String name)
      throws IOException, InterruptedException {
    Invocation getent = Invocation.of(List.of("getent", database, name), TIMEOUT);
    Result r = runner.run(getent);
    if (r.startError().isEmpty() && !r.timedOut() && r.exitCode() == NOT_FOUND) {
      return Optional.empty();
    }
    if (!r.succeeded()) {
      throw new IOException(getent.display() + ": " + r.failure(TIMEOUT));
    }
    String line = r.outputTail().lines().findFirst().orElse("");
    return Optional.of(COLON.split(line, -1));
  }

  private static void check(String[] fields, int count, String database, String name) {
    if (fields.length != count) {
      throw new IllegalStateException(
          "getent "
              + database
              + " "
              + name
              + " printed "
              + fields.length
              + " fields, not "
              + count);
    }
  }

  private static long number(String field) {
    try {
      return Long.parseLong(field);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("getent printed '" + field + "' where a number belongs", e);
    }
  }
}
