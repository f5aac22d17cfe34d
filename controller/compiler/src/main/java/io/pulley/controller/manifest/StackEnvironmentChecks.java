package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import io.pulley.controller.stack.StackEnvironment;
import io.pulley.v1.Stack;
import io.pulley.v1.StackSecretVariable;
import io.pulley.wire.EnvironmentFileFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks {@code stack.environment} and {@code stack.secret_environment}, the variables of the
 * application's environment file: names systemd and a shell accept, none that the stack, systemd or
 * uWSGI set or read themselves, values systemd reads back exactly, and limits on their number and
 * size. Whether a named secret exists is checked by the controller when the manifest is applied.
 * Not thread-safe: one per compilation.
 */
final class StackEnvironmentChecks {

  /** Variables of both maps together. */
  static final int MAX_VARIABLES = 100;

  static final int MAX_NAME_LENGTH = 128;

  /** A plain value's longest: settings longer than this belong in a file of the release. */
  static final int MAX_VALUE_LENGTH = 4096;

  /** Set by systemd for the service's own protocol (Type=notify, sockets, watchdog). */
  private static final Set<String> SYSTEMD =
      Set.of(
          "NOTIFY_SOCKET",
          "LISTEN_FDS",
          "LISTEN_PID",
          "LISTEN_FDNAMES",
          "MAINPID",
          "WATCHDOG_PID",
          "WATCHDOG_USEC");

  private final Checks checks;
  private final Names names;

  StackEnvironmentChecks(Checks checks) {
    this.checks = checks;
    this.names = new Names(checks);
  }

  void validate(Stack stack) {
    int count = stack.getEnvironmentCount() + stack.getSecretEnvironmentCount();
    if (count > MAX_VARIABLES) {
      checks.fail(
          "stack.environment",
          "environment and secret_environment hold "
              + count
              + " variables together; at most "
              + MAX_VARIABLES);
    }
    Set<String> setByStack = StackEnvironment.setByStack(stack);
    for (Map.Entry<String, String> variable : stack.getEnvironmentMap().entrySet()) {
      String field = "stack.environment[" + quote(variable.getKey()) + "]";
      if (name(field, variable.getKey(), setByStack)) {
        value(field, variable.getKey(), variable.getValue());
      }
    }
    for (Map.Entry<String, StackSecretVariable> variable :
        stack.getSecretEnvironmentMap().entrySet()) {
      String key = variable.getKey();
      String field = "stack.secret_environment[" + quote(key) + "]";
      if (!name(field, key, setByStack)) {
        continue;
      }
      if (stack.getEnvironmentMap().containsKey(key)) {
        checks.fail(
            field,
            key + " is also in stack.environment; give it one value, the secret or the plain one");
      }
      names.secret(field + ".secret", variable.getValue().getSecret(), true);
    }
  }

  /** Checks a variable's name; true if it may be written. */
  private boolean name(String field, String name, Set<String> setByStack) {
    Optional<String> problem = nameProblem(name, setByStack);
    problem.ifPresent(reason -> checks.fail(field, reason));
    return problem.isEmpty();
  }

  static Optional<String> nameProblem(String name, Set<String> setByStack) {
    if (!EnvironmentFileFormat.isName(name)) {
      return Optional.of(
          "environment variable name "
              + quote(name)
              + " is not valid; use letters, digits and \"_\", not starting with a digit");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of(
          "environment variable name is "
              + name.length()
              + " characters long; at most "
              + MAX_NAME_LENGTH);
    }
    if (setByStack.contains(name)) {
      return Optional.of(
          name
              + " is set by the stack itself ("
              + setBy(name)
              + "); remove it, or read the stack's value in the application");
    }
    if (name.equals("PATH")) {
      return Optional.of("PATH is set by the stack (the release's virtualenv first); remove it");
    }
    for (String prefix : List.of("PULLEY_", "UWSGI_")) {
      if (name.startsWith(prefix)) {
        return Optional.of(
            "names starting with "
                + prefix
                + " are "
                + (prefix.equals("PULLEY_") ? "Pulley's own" : "read by uWSGI as its options")
                + "; pick another name");
      }
    }
    if (SYSTEMD.contains(name)) {
      return Optional.of(
          name + " is set by systemd for the service (it would break its start); remove it");
    }
    return Optional.empty();
  }

  private static String setBy(String name) {
    return switch (name) {
      case StackEnvironment.DATABASE_URL -> "the database section";
      case StackEnvironment.REDIS_URL -> "the redis section";
      case StackEnvironment.CELERY_BROKER_URL -> "the celery section";
      default -> "the settings file's path";
    };
  }

  private void value(String field, String name, String value) {
    if (value.length() > MAX_VALUE_LENGTH) {
      checks.fail(
          field,
          "the value of "
              + name
              + " is "
              + value.length()
              + " characters long; at most "
              + MAX_VALUE_LENGTH);
      return;
    }
    EnvironmentFileFormat.valueProblem(value)
        .ifPresent(
            problem ->
                checks.fail(
                    field,
                    "the value of "
                        + name
                        + " cannot be written to the environment file: "
                        + problem
                        + "; a value is one line of printable characters"));
  }
}
