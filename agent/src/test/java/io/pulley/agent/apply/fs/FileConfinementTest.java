package io.pulley.agent.apply.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.v1.lite.Directory;
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

/** Files and directories stay inside the allowed roots, and secrets are not left readable. */
class FileConfinementTest {
  @TempDir Path tmp;
  @TempDir Path stateDir;
  Path root;
  Path outside;
  PathGuard guard;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectory(tmp.resolve("srv"));
    outside = Files.createDirectory(tmp.resolve("outside"));
    guard = new PathGuard(List.of(root));
  }

  private static File sensitive(Path path, String content, String mode) {
    return File.newBuilder()
        .setPath(path.toString())
        .setContent(content)
        .setMode(mode)
        .setSensitive(true)
        .build();
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private long filesOutside() throws Exception {
    try (Stream<Path> all = Files.walk(outside)) {
      return all.filter(p -> !p.equals(outside)).count();
    }
  }

  @Test
  void file_whoseParentIsASymlinkOut_failsNamingTheLinkAndWritesNothingOutside() throws Exception {
    Path conf = Files.createSymbolicLink(root.resolve("conf"), outside);
    File spec = File.newBuilder().setPath(conf + "/app.ini").setContent("x").build();

    Convergence c = new FileExecutor(guard).converge(spec, Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains(conf + " is a symlink to " + outside);
    assertThat(filesOutside()).isZero();
  }

  @Test
  void directory_belowASymlinkOut_failsAndCreatesNothingOutside() throws Exception {
    Path conf = Files.createSymbolicLink(root.resolve("conf"), outside);
    Directory spec = Directory.newBuilder().setPath(conf + "/d").build();

    Convergence c = new DirectoryExecutor(guard).converge(spec, Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(filesOutside()).isZero();
  }

  @Test
  void file_withDotDotOutOfTheRoot_failsAndWritesNothingOutside() throws Exception {
    File spec = File.newBuilder().setPath(root + "/../outside/app.ini").setContent("x").build();

    Convergence c = new FileExecutor(guard).converge(spec, Contexts.plain(stateDir));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_FAILED);
    assertThat(c.reason()).contains("is not normalised");
    assertThat(filesOutside()).isZero();
  }

  @Test
  void sensitiveFile_withoutMode_isWrittenOwnerOnly() throws Exception {
    Path target = root.resolve("settings.ini");
    File spec = sensitive(target, "password=${secret:db}\n", "");

    Convergence c =
        new FileExecutor(guard)
            .converge(spec, Contexts.withSecrets(stateDir, Map.of("db", "hunter2")));

    assertThat(c.outcome()).isEqualTo(ResourceOutcome.RESOURCE_OUTCOME_CHANGED);
    assertThat(target).hasContent("password=hunter2\n");
    assertThat(mode(target)).isEqualTo("rw-------");
  }

  @Test
  void sensitiveFile_withoutMode_tightensAnExistingWorldReadableFile() throws Exception {
    Path target = root.resolve("settings.ini");
    Files.writeString(target, "old");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    File spec = sensitive(target, "new", "");

    new FileExecutor(guard).converge(spec, Contexts.plain(stateDir));

    assertThat(mode(target)).isEqualTo("rw-------");
  }

  @Test
  void sensitiveFile_withAMode_keepsThatMode() throws Exception {
    Path target = root.resolve("settings.ini");
    File spec = sensitive(target, "x", "0640");

    new FileExecutor(guard).converge(spec, Contexts.plain(stateDir));

    assertThat(mode(target)).isEqualTo("rw-r-----");
  }
}
