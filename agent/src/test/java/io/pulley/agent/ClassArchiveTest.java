package io.pulley.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveTest {
  @TempDir Path dir;

  @Test
  void afterAnEnrolment_theStampGoes_soThatTheScriptRemakesTheArchive() throws Exception {
    Path archive = Files.writeString(dir.resolve("classes.jsa"), "archive");
    Path stamp = Files.writeString(dir.resolve("classes.jsa.stamp"), "123 456");

    ClassArchive.remakeAfterEnrolment(Map.of(ClassArchive.ENVIRONMENT, archive.toString()));

    assertThat(stamp).doesNotExist();
    assertThat(archive).exists(); // the script removes it, before the JVM maps it again
  }

  @Test
  void withoutAnArchive_nothingIsTouched() throws Exception {
    Path stamp = Files.writeString(dir.resolve("classes.jsa.stamp"), "123 456");

    ClassArchive.remakeAfterEnrolment(Map.of());
    ClassArchive.remakeAfterEnrolment(Map.of(ClassArchive.ENVIRONMENT, " "));
    ClassArchive.remakeAfterEnrolment(
        Map.of(ClassArchive.ENVIRONMENT, dir.resolve("other.jsa").toString()));

    assertThat(stamp).hasContent("123 456");
  }
}
