package io.pulley.agent.apply.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.ResourceOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileExecutorTest {
  @TempDir Path root;
  @TempDir Path stateDir;

  private FileExecutor executor() {
    return new FileExecutor(new PathGuard(List.of(root)));
  }

  private static File file(Path path, String content, String mode) {
    return File.newBuilder().setPath(path.toString()).setContent(content).setMode(mode).build();
  }

  private List<String> names() throws Exception {
    try (Stream<Path> list = Files.list(root)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void converge_newFile_writesContentWithMode0644() throws Exception {
    Path target = root.resolve("hello.conf");

    Convergence c = executor().converge(file(target, "hello\n", ""), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("created (6 bytes)");
    assertThat(target).hasContent("hello\n");
    assertThat(mode(target)).isEqualTo("rw-r--r--");
    assertThat(names()).containsExactly("hello.conf");
  }

  @Test
  void converge_sameContent_reportsUnchangedAndKeepsMtime() throws Exception {
    Path target = root.resolve("hello.conf");
    executor().converge(file(target, "hello\n", "0640"), Contexts.plain(stateDir));
    FileTime old = FileTime.fromMillis(1_000_000_000L);
    Files.setLastModifiedTime(target, old);

    Convergence c = executor().converge(file(target, "hello\n", "0640"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_UNCHANGED);
    assertThat(Files.getLastModifiedTime(target)).isEqualTo(old);
  }

  @Test
  void converge_differentContent_replacesAtomicallyLeavingNoTempFiles() throws Exception {
    Path target = root.resolve("hello.conf");
    Files.writeString(target, "old");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));

    Convergence c = executor().converge(file(target, "newer", ""), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("content changed (3 bytes → 5 bytes)");
    assertThat(target).hasContent("newer");
    assertThat(mode(target)).as("an unset mode keeps the old file's").isEqualTo("rw-------");
    assertThat(names()).containsExactly("hello.conf");
  }

  @Test
  void converge_onlyModeDiffers_fixesModeWithoutRewriting() throws Exception {
    Path target = root.resolve("hello.conf");
    Files.writeString(target, "same");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    FileTime old = FileTime.fromMillis(1_000_000_000L);
    Files.setLastModifiedTime(target, old);

    Convergence c = executor().converge(file(target, "same", "0600"), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(c.reason()).isEqualTo("mode 0644→0600");
    assertThat(mode(target)).isEqualTo("rw-------");
    assertThat(Files.getLastModifiedTime(target)).isEqualTo(old);
  }

  @Test
  void converge_contentAndModeDiffer_reportsBoth() throws Exception {
    Path target = root.resolve("hello.conf");
    Files.writeString(target, "a");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));

    Convergence c = executor().converge(file(target, "bb", "0600"), Contexts.plain(stateDir));

    assertThat(c.reason()).isEqualTo("content changed (1 bytes → 2 bytes), mode 0644→0600");
    assertThat(mode(target)).isEqualTo("rw-------");
  }

  @Test
  void converge_missingParent_failsClearly() throws Exception {
    Path target = root.resolve("missing/hello.conf");

    Convergence c = executor().converge(file(target, "x", ""), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason())
        .isEqualTo(
            "parent directory " + root.resolve("missing") + " does not exist (declare it first)");
  }

  @Test
  void converge_throughSymlinkOutOfRoot_failsAndWritesNothing(@TempDir Path outside)
      throws Exception {
    Files.createSymbolicLink(root.resolve("etc"), outside);

    Convergence c =
        executor().converge(file(root.resolve("etc/passwd"), "x", ""), Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(outside.resolve("passwd")).doesNotExist();
  }
}
