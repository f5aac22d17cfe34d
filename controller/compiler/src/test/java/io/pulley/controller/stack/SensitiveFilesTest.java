package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static io.pulley.controller.stack.SampleStacks.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.File;
import io.pulley.v1.Resource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every rendered file that holds a secret says who owns it and is closed to everyone else. */
class SensitiveFilesTest {

  private static List<File> filesWithSecrets() {
    return Stream.of(full(), minimal())
        .flatMap(stack -> StackRenderer.render(manifest(stack)).stream())
        .filter(Resource::hasFile)
        .map(Resource::getFile)
        .filter(f -> f.getSensitive() || f.getContent().contains("${secret:"))
        .toList();
  }

  @Test
  void render_filesWithSecrets_areSensitiveWithAnOwnerAndNoBitsForOthers() {
    List<File> files = filesWithSecrets();

    assertThat(files).isNotEmpty();
    for (File file : files) {
      assertThat(file.getSensitive()).as(file.getPath()).isTrue();
      assertThat(file.getOwner()).as(file.getPath()).isEqualTo("root");
      assertThat(file.getGroup()).as(file.getPath()).isNotEmpty();
      assertThat(file.getMode()).as(file.getPath()).matches("0[0-7][0-7]0");
    }
  }
}
