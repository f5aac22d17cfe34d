package io.pulley.agent.apply.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.fs.FileExecutor;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.process.ProcessRunner;
import io.pulley.v1.lite.Command;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.wire.EnvironmentFileFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's environment file from template to process: the file executor fills in the secrets,
 * the command executor reads the file and a real process gets the variables in its environment,
 * never in its arguments.
 */
class CommandEnvironmentFileTest {
  private static final String API_KEY = "k3y \"with\" $HOME, ${PATH} and \\ # ;";
  private static final String DB_PASSWORD = "p@ss:w/rd %?";
  private static final String HOSTILE = "  it's \"quoted\", \\back\\, $VAR ${VAR} `id` # ; é  ";

  @TempDir Path dir;
  @TempDir Path stateDir;
  private Path envFile;
  private final List<CommandRunner.Invocation> invocations = new ArrayList<>();
  private CommandExecutor executor;
  private ApplyContext context;

  @BeforeEach
  void writeTheEnvironmentFile() throws Exception {
    envFile = dir.resolve("environment");
    CommandRunner recording =
        invocation -> {
          invocations.add(invocation);
          return new ProcessRunner().run(invocation);
        };
    executor = new CommandExecutor(new PathGuard(List.of(dir)), recording);
    context = Contexts.withSecrets(stateDir, Map.of("api-key", API_KEY, "db", DB_PASSWORD));
    String template =
        "# Written by Pulley; edits here are overwritten.\n"
            + EnvironmentFileFormat.assignment("PLAIN", HOSTILE)
            + "API_KEY=\"${secret:api-key|env}\"\n"
            + "DATABASE_URL=\"postgresql://app:${secret:db|url|env}@127.0.0.1:5432/app\"\n";
    Convergence written =
        new FileExecutor(new PathGuard(List.of(dir)))
            .converge(
                File.newBuilder()
                    .setPath(envFile.toString())
                    .setContent(template)
                    .setMode("0600")
                    .setSensitive(true)
                    .build(),
                context);
    assertThat(written.outcome()).as(written.reason()).isNotEqualTo(failed());
  }

  private static ResourceOutcome failed() {
    return ResourceOutcome.RESOURCE_OUTCOME_FAILED;
  }

  /** The environment the process saw, as it wrote it with {@code env -0}. */
  private Map<String, String> environmentSeen() throws Exception {
    Map<String, String> seen = new HashMap<>();
    String dump = Files.readString(dir.resolve("env.out"), StandardCharsets.UTF_8);
    for (String entry : dump.split("\0")) {
      int equals = entry.indexOf('=');
      seen.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return seen;
  }

  @Test
  void command_getsTheFilesVariables_exactly_andNoSecretInItsArguments() throws Exception {
    Convergence c =
        executor.converge(
            Command.newBuilder()
                .addAllArgv(List.of("sh", "-c", "env -0 > env.out"))
                .setWorkingDir(dir.toString())
                .setEnvFile(envFile.toString())
                .putEnv("PATH", "/usr/bin:/bin")
                .build(),
            context);

    assertThat(c.outcome()).as(c.reason()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    Map<String, String> seen = environmentSeen();
    assertThat(seen)
        .containsEntry("PLAIN", HOSTILE)
        .containsEntry("API_KEY", API_KEY)
        .containsEntry(
            "DATABASE_URL", "postgresql://app:p%40ss%3Aw%2Frd%20%25%3F@127.0.0.1:5432/app")
        .containsEntry("PATH", "/usr/bin:/bin")
        .containsEntry("LANG", "C.UTF-8");
    assertThat(invocations).isNotEmpty();
    for (CommandRunner.Invocation invocation : invocations) {
      for (String argument : invocation.argv()) {
        assertThat(argument).doesNotContain(API_KEY, DB_PASSWORD, "p%40ss");
      }
    }
  }

  @Test
  void unless_runsWithTheSameVariables() throws Exception {
    Convergence c =
        executor.converge(
            Command.newBuilder()
                .addAllArgv(List.of("touch", "ran"))
                .addAllUnless(List.of("sh", "-c", "test -n \"$API_KEY\""))
                .setWorkingDir(dir.toString())
                .setEnvFile(envFile.toString())
                .build(),
            context);

    assertThat(c.reason()).isEqualTo("skipped: unless command exited 0");
    assertThat(dir.resolve("ran")).doesNotExist();
  }

  @Test
  void output_isScrubbedOfTheSecrets_inEveryFormTheFileGaveThem() throws Exception {
    Convergence c =
        executor.converge(
            Command.newBuilder()
                .addAllArgv(List.of("sh", "-c", "echo \"$API_KEY\"; echo \"$DATABASE_URL\""))
                .setWorkingDir(dir.toString())
                .setEnvFile(envFile.toString())
                .build(),
            context);

    assertThat(c.outputTail())
        .doesNotContain(API_KEY, "p%40ss%3Aw%2Frd")
        .contains("postgresql://app:***@127.0.0.1");
  }

  @Test
  void missingEnvironmentFile_failsTheCommand_beforeItRuns() throws Exception {
    Convergence c =
        executor.converge(
            Command.newBuilder()
                .addAllArgv(List.of("touch", "ran"))
                .setWorkingDir(dir.toString())
                .setEnvFile(dir.resolve("absent").toString())
                .build(),
            context);

    assertThat(c.outcome()).isEqualTo(failed());
    assertThat(c.reason())
        .isEqualTo(
            "environment file " + dir.resolve("absent") + " does not exist or is not a file");
    assertThat(invocations).isEmpty();
  }
}
