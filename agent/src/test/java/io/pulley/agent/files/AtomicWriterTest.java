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
}
