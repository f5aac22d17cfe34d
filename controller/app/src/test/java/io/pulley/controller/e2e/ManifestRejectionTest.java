package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.testing.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pulley apply` of a manifest with a mistake: exit 3, the field, the line, and nothing stored. */
class ManifestRejectionTest {
  @TempDir Path temp;
  private LocalController controller;
  private Cli cli;
  private TestRepository repository;
  private String good;

  @BeforeEach
  void start() throws Exception {
    controller = LocalController.start(temp.resolve("controller"));
    cli = controller.cli();
    repository = TestRepository.create(temp.resolve("repo"));
    good = HelloManifest.yaml("hello", temp.resolve("srv"), repository.url(), "Hello");
  }

  @AfterEach
  void stop() {
    controller.close();
    repository.close();
  }

  @Test
  void unknownField_isRejectedWithItsLineAndASuggestion() throws Exception {
    Cli.Result result = apply(good.replace("      content:", "      contnet:"));
    assertRejected(result, "broken.yaml:12:", "resources[1].file", "did you mean \"content\"");
  }

  @Test
  void wrongType_isRejectedWithItsLine() throws Exception {
    Cli.Result result = apply(good.replace("keep: 2", "keep: two"));
    assertRejected(result, "broken.yaml:18:", "resources[2].git_release.keep", "integer");
  }

  @Test
  void relativePath_isRejectedWithItsLine() throws Exception {
    Cli.Result result =
        apply(good.replace("path: " + temp.resolve("srv/hello") + "\n", "path: srv/hello\n"));
    assertRejected(result, "broken.yaml:8:", "resources[0].directory.path", "relative");
  }

  @Test
  void missingGitRef_isRejectedWithItsLine() throws Exception {
    Cli.Result result = apply(good.replace("ref: main", "ref: v9.9.9"));
    assertRejected(result, "broken.yaml:17:", "resources[2].git_release.ref", "v9.9.9");
  }

  @Test
  void severalMistakes_areAllReportedAtOnce() throws Exception {
    Cli.Result result =
        apply(good.replace("keep: 2", "keep: two").replace("      content:", "      contnet:"));
    assertThat(result.err()).contains("contnet").contains("keep").contains("2 errors");
  }

  private Cli.Result apply(String yaml) throws Exception {
    Path file = temp.resolve("broken.yaml");
    Files.writeString(file, yaml);
    return cli.run("apply", "-f", file.toString());
  }

  private void assertRejected(Cli.Result result, String line, String field, String reason) {
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.err())
        .contains(line)
        .contains(field)
        .contains(reason)
        .contains("nothing was stored");
    Cli.Result history = cli.run("history", "hello", "test");
    assertThat(history.exitCode()).as(history.toString()).isEqualTo(4);
  }
}
