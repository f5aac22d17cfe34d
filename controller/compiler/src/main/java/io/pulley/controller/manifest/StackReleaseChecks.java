package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import com.google.re2j.Pattern;
import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCommand;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what a stack does to each release: its commands with their guards, and the directories
 * linked into it from ROOT/shared. Not thread-safe.
 */
final class StackReleaseChecks {
  static final Pattern COMMAND_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** Names in ROOT/shared or the release that Pulley itself uses. */
  private static final Set<String> RESERVED_SHARED =
      Set.of("config", "log", "celerybeat", ".pulley-done", "venv", ".git");

  private final Checks checks;
  private final ConfigText text;

  StackReleaseChecks(Checks checks, ConfigText text) {
    this.checks = checks;
    this.text = text;
  }

  void validate(Stack stack) {
    commands(stack.getCommandsList());
    sharedDirs(stack.getSharedDirsList());
  }

  private void sharedDirs(List<String> dirs) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < dirs.size(); i++) {
      String field = "stack.shared_dirs[" + i + "]";
      String dir = dirs.get(i);
      if (dir.isEmpty() || dir.startsWith("/")) {
        checks.fail(field, "a path relative to the release is required, such as \"instance\"");
        continue;
      }
      if (!text.matches(
          field,
          "shared directory",
          dir,
          StackValidator.RELATIVE_PATH,
          "use a normalised path relative to the release, such as \"instance\" or \"media\"")) {
        continue;
      }
      String first = dir.contains("/") ? dir.substring(0, dir.indexOf('/')) : dir;
      if (RESERVED_SHARED.contains(first)) {
        checks.fail(field, quote(first) + " is used by Pulley itself; choose another name");
      } else if (!seen.add(dir)) {
        checks.fail(field, quote(dir) + " is listed twice");
      }
    }
  }

  void commands(List<StackCommand> commands) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < commands.size(); i++) {
      StackCommand command = commands.get(i);
      String path = "stack.commands[" + i + "]";
      if (command.getName().isEmpty()) {
        checks.fail(path + ".name", "name is required, such as \"migrate\"");
      } else if (text.matches(
          path + ".name",
          "name",
          command.getName(),
          COMMAND_NAME,
          "use lower-case letters, digits and \"-\", such as \"migrate\"")) {
        Integer earlier = first.putIfAbsent(command.getName(), i);
        if (earlier != null) {
          checks.fail(
              path + ".name",
              "command name "
                  + quote(command.getName())
                  + " is already used by stack.commands["
                  + earlier
                  + "]; names must be unique");
        }
      }
      checks.argv(path + ".argv", command.getArgvList(), Checks.ARGV_REQUIRED);
      if (command.getUnlessCount() > 0) {
        checks.argv(path + ".unless", command.getUnlessList(), "");
      }
      if (!command.getCreates().isEmpty()) {
        // Relative paths are below ROOT/shared: checked as if written there, so ".." cannot leave.
        String creates = command.getCreates();
        AbsolutePath.problem(creates.startsWith("/") ? creates : "/" + creates)
            .ifPresent(
                reason ->
                    checks.fail(
                        path + ".creates",
                        reason + " (an absolute path, or one relative to the shared directory)"));
      }
      text.range(
          path + ".timeout_seconds",
          command.getTimeoutSeconds(),
          1,
          StackValidator.MAX_SECONDS,
          StackDefaults.COMMAND_TIMEOUT_SECONDS);
    }
  }
}
