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

/** Edits made by hand to managed files are reported and undone; declared changes are not drift. */
class FileExecutorDriftTest {
  @TempDir Path root;
  @TempDir Path dataDir;
  FileExecutor executor;

  @BeforeEach
  void setUp() {
    executor = new FileExecutor(new PathGuard(List.of(root)));
  }

  private ApplyContext context() {
    return Contexts.withSecrets(dataDir.resolve("converge/app/test"), Map.of("key", "k-123456"));
  }

  private static File file(Path path, String content) {
    return File.newBuilder().setPath(path.toString()).setContent(content).build();
  }

  @Test
  void converge_editedByHand_reportsShortLineDiffAndRestores() throws Exception {
    Path target = root.resolve("app.conf");
    File spec = file(target, "a = 1\nb = 2\nc = 3\n");
    executor.converge(spec, context());
    Files.writeString(target, "a = 1\nb = 20\nc = 3\n");

    Convergence c = executor.converge(spec, context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.drift()).isEqualTo("content edited outside Pulley, at line 2:\n-b = 2\n+b = 20");
    assertThat(target).hasContent("a = 1\nb = 2\nc = 3\n");
  }

  @Test
  void converge_sensitiveEditedByHand_reportsOnlySizes() throws Exception {
    Path target = root.resolve("settings.ini");
    File spec = file(target, "key = ${secret:key}\n").toBuilder().setSensitive(true).build();
    executor.converge(spec, context());
    Files.writeString(target, "key = k-999\n");

    Convergence c = executor.converge(spec, context());

    assertThat(c.drift()).isEqualTo("content edited outside Pulley, 15 bytes → 12 bytes");
    assertThat(c.reason()).doesNotContain("k-");
    assertThat(target).hasContent("key = k-123456\n");
  }

  @Test
  void converge_declarationChanged_isNotDrift() throws Exception {
    Path target = root.resolve("app.conf");
    executor.converge(file(target, "one\n"), context());

    Convergence c = executor.converge(file(target, "two\n"), context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.drift()).isEmpty();
  }

  @Test
  void converge_fileNeverWrittenByPulley_isNotDrift() throws Exception {
    Path target = root.resolve("app.conf");
    Files.writeString(target, "theirs\n");

    Convergence c = executor.converge(file(target, "ours\n"), context());

    assertThat(c.drift()).isEmpty();
    assertThat(target).hasContent("ours\n");
  }

  @Test
  void converge_deletedByHand_reportsDriftAndRecreates() throws Exception {
    Path target = root.resolve("app.conf");
    executor.converge(file(target, "x\n"), context());
    Files.delete(target);

    Convergence c = executor.converge(file(target, "x\n"), context());

    assertThat(c.drift()).isEqualTo("file was deleted outside Pulley");
    assertThat(target).hasContent("x\n");
  }

  @Test
  void converge_modeChangedByHand_reportsDrift() throws Exception {
    Path target = root.resolve("app.conf");
    File spec = file(target, "x\n").toBuilder().setMode("0640").build();
    executor.converge(spec, context());
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-rw-"));

    Convergence c = executor.converge(spec, context());

    assertThat(c.reason()).isEqualTo("mode 0666→0640");
    assertThat(c.drift()).isEqualTo("changed outside Pulley: mode 0666→0640");
  }

  @Test
  void converge_unchanged_reportsNoDrift() throws Exception {
    Path target = root.resolve("app.conf");
    executor.converge(file(target, "x\n"), context());

    Convergence c = executor.converge(file(target, "x\n"), context());

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(c.drift()).isEmpty();
  }

  @Test
  void converge_remembersInOwnerOnlyFilesHoldingNoContent() throws Exception {
    Path target = root.resolve("settings.ini");
    executor.converge(
        file(target, "key = ${secret:key}\n").toBuilder().setSensitive(true).build(), context());

    Path state = context().stateDir();
    assertThat(perms(state)).isEqualTo("rwx------");
    assertThat(perms(state.resolve("fs"))).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(state.resolve("fs"))) {
      for (Path p : files.toList()) {
        assertThat(perms(p)).isEqualTo("rw-------");
        assertThat(Files.readString(p)).doesNotContain("k-123456");
      }
    }
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
