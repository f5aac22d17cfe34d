package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example shipped in the documentation compiles, so it cannot rot. */
class HelloExampleTest {

  private static final Path EXAMPLE = Path.of("docs", "examples", "hello.yaml");

  /** Tests run in the module's folder; the docs are at the top of the repository. */
  private static Path example() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(EXAMPLE))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent folder holding %s", EXAMPLE).isNotNull();
    return dir.resolve(EXAMPLE);
  }

  @Test
  void compile_helloExample_givesTheDocumentedManifest() throws IOException {
    FixedRefResolver resolver = new FixedRefResolver();
    String yaml = Files.readString(example(), StandardCharsets.UTF_8);

    CompileResult result = new ManifestCompiler(resolver).compile(yaml, "hello.yaml");

    assertThat(result.errors()).isEmpty();
    Manifest manifest = result.manifest().orElseThrow();
    assertThat(manifest.getApplication()).isEqualTo("hello");
    assertThat(manifest.getEnvironment()).isEqualTo("demo");
    assertThat(manifest.getHosts().getLabelsMap()).containsExactly(Map.entry("role", "demo"));
    assertThat(manifest.getResourcesList())
        .extracting(Resource::getId)
        .containsExactly(
            "directory:/tmp/pulley-demo/srv/hello",
            "file:/tmp/pulley-demo/srv/hello/greeting.txt",
            "git_release:/tmp/pulley-demo/srv/hello/app",
            "mark-installed");
    assertThat(manifest.getResources(0).getDirectory().getMode()).isEqualTo("0755");
    assertThat(manifest.getResources(2).getGitRelease().getCommit())
        .isEqualTo(FixedRefResolver.COMMIT);
    assertThat(manifest.getResources(3).getCommand().getCreates())
        .isEqualTo("/tmp/pulley-demo/srv/hello/.installed");
    assertThat(resolver.asked).containsExactly("file:///tmp/pulley-demo/hello.git main");
  }
}
