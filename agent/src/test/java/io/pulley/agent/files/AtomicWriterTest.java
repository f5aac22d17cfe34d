package io.pulley.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  @TempDir Path dir;

  @Test
  void write_tempFileIsOwnerOnlyAlreadyWhenItHoldsTheContent() throws Exception {
    Path target = dir.resolve("secret.conf");
    List<String> seen = new ArrayList<>();

    AtomicWriter.write(
        target,
        "s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        temp -> {
          seen.add(Files.readString(temp));
          seen.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp)));
        });

    assertThat(seen).containsExactly("s3cret", "rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-------");
  }

  @Test
  void write_removesTheTempFilesAKilledWriteOfTheSameTargetLeft_andNoOtherFile() throws Exception {
    Path target = dir.resolve("site.conf");
    // Left by writes killed between the temp file's creation and its rename.
    Path stale = Files.writeString(dir.resolve(".site.conf.8817263541.tmp"), "half");
    Path otherTargets = Files.writeString(dir.resolve(".site.conf.d.12.tmp"), "not ours");
    Path notATemp = Files.writeString(dir.resolve(".site.conf.old.tmp"), "an admin's");

    AtomicWriter.write(target, "new".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(target).hasContent("new");
    assertThat(stale).doesNotExist();
    assertThat(otherTargets).exists();
    assertThat(notATemp).exists();
  }

  @Test
  void write_failureWithoutAFile_namesTheTarget() throws Exception {
    Path target = dir.resolve("unit.service");

    java.nio.file.FileSystemException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            java.nio.file.FileSystemException.class,
            () ->
                AtomicWriter.write(
                    target,
                    new byte[] {1},
                    temp -> {
                      throw new java.io.IOException("No space left on device");
                    }));

    assertThat(e.getFile()).isEqualTo(target.toString());
    assertThat(e.getReason()).isEqualTo("No space left on device");
    try (var left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }
}
