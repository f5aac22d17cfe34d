package io.pulley.agent.apply.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sensitive content with secrets, and validate commands. */
class FileExecutorValidateTest {
  static final String PASSWORD = "s3cr3t-Pa55";

  @TempDir Path root;
  @TempDir Path stateDir;
  FileExecutor executor;

  @BeforeEach
  void setUp() {
    executor = new FileExecutor(new PathGuard(List.of(root)));
  }

  private ApplyContext context() {
    return Contexts.withSecrets(stateDir, Map.of("database-password", PASSWORD));
  }

  private static File.Builder file(Path path, String content) {
    return File.newBuilder().setPath(path.toString()).setContent(content);
  }

  private List<String> names() throws Exception {
    try (Stream<Path> list = Files.list(root)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void converge_sensitive_fillsInSecretsAndKeepsThemOutOfTheReason() throws Exception {
    Path target = root.resolve("settings.ini");
    File spec =
        file(target, "[db]\nurl = postgresql://app:${secret:database-password}@localhost/app\n")
            .setSensitive(true)
            .setMode("0640")
            .build();

    Convergence c = executor.converge(spec, context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(target).hasContent("[db]\nurl = postgresql://app:" + PASSWORD + "@localhost/app\n");
    assertThat(c.reason()).doesNotContain(PASSWORD).startsWith("created (");
    assertThat(executor.converge(spec, context()).outcome())
        .isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
  }

  @Test
  void converge_sensitiveWithUnknownSecret_failsNamingItAndWritesNothing() throws Exception {
    Path target = root.resolve("settings.ini");
    File spec = file(target, "key = ${secret:session-key}\n").setSensitive(true).build();

    Convergence c = executor.converge(spec, context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("secret 'session-key' is not among the application's secrets");
    assertThat(target).doesNotExist();
  }

  @Test
  void converge_notSensitive_leavesPlaceholdersAsWritten() throws Exception {
    Path target = root.resolve("plain.txt");

    executor.converge(file(target, "${secret:database-password}").build(), context());

    assertThat(target).hasContent("${secret:database-password}");
  }

  @Test
  void converge_validateAccepts_keepsTheNewContent() throws Exception {
    Path target = root.resolve("site.conf");
    File spec =
        file(target, "valid\n")
            .addAllValidate(List.of("grep", "-q", "valid", target.toString()))
            .build();

    Convergence c = executor.converge(spec, context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(target).hasContent("valid\n");
  }

  @Test
  void converge_validateRejectsReplacement_putsPreviousContentAndModeBack() throws Exception {
    Path target = root.resolve("site.conf");
    Files.writeString(target, "valid\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
    File spec =
        file(target, "broken\n")
            .setMode("0644")
            .addAllValidate(List.of("grep", "valid", target.toString(), "/nonexistent-pulley"))
            .build();

    Convergence c = executor.converge(spec, context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason())
        .isEqualTo(
            "validate grep valid "
                + target
                + " /nonexistent-pulley exited 2; the previous content was put back");
    assertThat(c.outputTail()).contains("/nonexistent-pulley");
    assertThat(target).hasContent("valid\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-r-----");
    assertThat(names()).containsExactly("site.conf");
  }

  @Test
  void converge_validateRejectsNewFile_removesIt() throws Exception {
    Path target = root.resolve("site.conf");
    File spec = file(target, "broken\n").addAllValidate(List.of("false")).build();

    Convergence c = executor.converge(spec, context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).isEqualTo("validate false exited 1; the new file was removed");
    assertThat(names()).isEmpty();
  }

  @Test
  void converge_rejectedFile_isTriedAgainOnTheNextApply() throws Exception {
    Path target = root.resolve("site.conf");
    Files.writeString(target, "old\n");
    Path flag = root.resolve("accept");
    File spec =
        file(target, "new\n").addAllValidate(List.of("test", "-e", flag.toString())).build();
    executor.converge(spec, context());
    Files.createFile(flag);

    Convergence c = executor.converge(spec, context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.drift()).isEmpty();
    assertThat(target).hasContent("new\n");
  }

  @Test
  void converge_validateOutput_isScrubbedOfSecrets() throws Exception {
    Path target = root.resolve("settings.ini");
    File spec =
        file(target, "password = ${secret:database-password}\n")
            .setSensitive(true)
            .addAllValidate(List.of("grep", "password", target.toString(), "/nonexistent-pulley"))
            .build();

    Convergence c = executor.converge(spec, context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.outputTail()).doesNotContain(PASSWORD).contains("***");
    assertThat(c.reason()).doesNotContain(PASSWORD);
  }

  @Test
  void converge_validateProgramMissing_failsAndRemovesNewFile() throws Exception {
    Path target = root.resolve("site.conf");
    File spec = file(target, "x").addValidate("no-such-validator-pulley").build();

    Convergence c = executor.converge(spec, context());

    assertThat(c.reason())
        .isEqualTo(
            "validate: program 'no-such-validator-pulley' not found in PATH; the new file was"
                + " removed");
    assertThat(target).doesNotExist();
  }
}
