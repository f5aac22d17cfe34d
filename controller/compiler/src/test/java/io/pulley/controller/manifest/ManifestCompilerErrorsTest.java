package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import java.util.List;
import org.assertj.core.api.AbstractObjectAssert;
import org.junit.jupiter.api.Test;

/** Each kind of mistake is reported with its field path, its line and a helpful reason. */
class ManifestCompilerErrorsTest {

  private final FixedRefResolver resolver = new FixedRefResolver();
  private final ManifestCompiler compiler = new ManifestCompiler(resolver);

  private static final String HEAD =
      """
      application: hello
      environment: demo
      resources:
      """;

  private List<ManifestError> errorsOf(String yaml) {
    CompileResult result = compiler.compile(yaml, "test.yaml");
    assertThat(result.ok()).isFalse();
    assertThat(result.manifest()).isEmpty();
    return result.errors();
  }

  private static AbstractObjectAssert<?, ManifestError> assertError(
      ManifestError error, String field, int line, String reason) {
    assertThat(error.getField()).isEqualTo(field);
    assertThat(error.getLine()).isEqualTo(line);
    assertThat(error.getReason()).contains(reason);
    return assertThat(error);
  }

  private ManifestError onlyErrorOf(String yaml) {
    List<ManifestError> errors = errorsOf(yaml);
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }

  @Test
  void compile_misspeltField_suggestsTheRightOne() {
    ManifestError error =
        onlyErrorOf(
            HEAD
                + """
                  - file:
                      path: /etc/hello.conf
                      contnet: hi
                """);

    assertError(
        error,
        "resources[0].file.contnet",
        6,
        "unknown field \"contnet\"; did you mean \"content\"?");
    assertThat(error.getColumn()).isEqualTo(7);
  }

  @Test
  void compile_unknownFieldFarFromAny_listsTheFields() {
    ManifestError error = onlyErrorOf(HEAD + "  - directory: {path: /srv, colour: red}\n");

    assertError(error, "resources[0].directory.colour", 4, "expected one of path, owner");
  }

  @Test
  void compile_sequenceForString_saysWhatWasExpected() {
    ManifestError error = onlyErrorOf(HEAD + "  - file: {path: [/a, /b]}\n");

    assertError(error, "resources[0].file.path", 4, "expected a string, got a sequence");
  }

  @Test
  void compile_wordForInteger_quotesTheWord() {
    ManifestError error =
        onlyErrorOf(HEAD + "  - command: {argv: [/bin/true], timeout_seconds: five}\n");

    assertError(
        error, "resources[0].command.timeout_seconds", 4, "expected an integer, got \"five\"");
  }

  @Test
  void compile_scalarForSequence_saysASequenceIsExpected() {
    ManifestError error = onlyErrorOf(HEAD + "  - command: {argv: /bin/true}\n");

    assertError(error, "resources[0].command.argv", 4, "expected a sequence, got \"/bin/true\"");
  }

  @Test
  void compile_relativePath_suggestsAnAbsoluteOne() {
    ManifestError error = onlyErrorOf(HEAD + "  - directory:\n      path: srv/app\n");

    assertError(
        error,
        "resources[0].directory.path",
        5,
        "path \"srv/app\" is relative; use an absolute path such as \"/srv/app\"");
  }

  @Test
  void compile_unnormalisedPath_showsTheNormalForm() {
    ManifestError error = onlyErrorOf(HEAD + "  - file: {path: /srv/./app/../x//y/}\n");

    assertError(error, "resources[0].file.path", 4, "write \"/srv/x/y\"");
  }

  @Test
  void compile_missingPath_pointsAtTheResource() {
    ManifestError error = onlyErrorOf(HEAD + "  - file:\n      content: hi\n");

    assertError(error, "resources[0].file.path", 4, "a path is required");
  }

  @Test
  void compile_duplicateIds_nameTheFirstOccurrence() {
    ManifestError error =
        onlyErrorOf(
            HEAD
                + """
                  - file: {path: /etc/x, content: a}
                  - directory: {path: /etc}
                  - file: {path: /etc/x, content: b}
                """);

    assertError(
        error,
        "resources[2].id",
        6,
        "duplicate resource id \"file:/etc/x\" (also resources[0]); set \"id\" to tell them apart");
  }

  @Test
  void compile_explicitIdsClash_pointsAtTheSecondId() {
    ManifestError error =
        onlyErrorOf(
            HEAD
                + """
                  - id: setup
                    command: {argv: [/bin/true]}
                  - id: setup
                    command: {argv: [/bin/false]}
                """);

    assertError(error, "resources[1].id", 6, "duplicate resource id \"setup\"");
  }

  @Test
  void compile_twoKindsInOneResource_asksToSplitIt() {
    ManifestError error =
        onlyErrorOf(
            HEAD
                + """
                  - directory: {path: /srv}
                    file: {path: /srv/x}
                """);

    assertError(error, "resources[0]", 5, "both \"directory\" and \"file\" are set");
  }

  @Test
  void compile_resourceWithoutKind_listsTheKinds() {
    ManifestError error = onlyErrorOf(HEAD + "  - id: lonely\n");

    assertError(
        error,
        "resources[0]",
        4,
        "exactly one kind: directory, file, git_release, command, package, group, user,"
            + " virtualenv, service, database, health_check or release_link");
  }

  @Test
  void compile_nullKind_choosesTheKindAndAsksForItsPath() {
    ManifestError error = onlyErrorOf(HEAD + "  - directory: ~\n");

    assertError(error, "resources[0].directory.path", 4, "a path is required");
  }

  @Test
  void compile_badMode_showsAnExample() {
    ManifestError error = onlyErrorOf(HEAD + "  - file: {path: /etc/x, mode: 0o644}\n");

    assertError(error, "resources[0].file.mode", 4, "such as \"0644\"");
  }

  @Test
  void compile_setuidMode_isRefused() {
    ManifestError error = onlyErrorOf(HEAD + "  - file: {path: /etc/x, mode: \"4755\"}\n");

    assertError(
        error, "resources[0].file.mode", 4, "setuid, setgid and sticky bits are not supported");
  }

  @Test
  void compile_badNames_reportBoth() {
    List<ManifestError> errors =
        errorsOf("application: Hello_World\nenvironment: \"\"\nhosts: {labels: {role: web}}\n");

    assertThat(errors).hasSize(2);
    assertError(errors.get(0), "application", 1, "lower-case letters, digits and \"-\"");
    assertError(errors.get(1), "environment", 2, "environment is required");
  }

  @Test
  void compile_badOwnerAndLabel_areReported() {
    List<ManifestError> errors =
        errorsOf(
            """
            application: hello
            environment: demo
            hosts:
              labels:
                "role kind": web
            resources:
              - directory: {path: /srv, owner: Root}
            """);

    assertThat(errors).hasSize(2);
    assertError(errors.get(0), "hosts.labels[\"role kind\"]", 5, "label key \"role kind\"");
    assertError(
        errors.get(1), "resources[0].directory.owner", 7, "owner \"Root\" is not a valid name");
  }

  @Test
  void compile_controlCharacter_givesItsLineAndColumn() {
    ManifestError error =
        onlyErrorOf("application: hello\nenvironment: demo\nresources: [\u0007]\n");

    assertThat(error.getLine()).isEqualTo(3);
    assertThat(error.getColumn()).isEqualTo(13);
    assertThat(error.getReason())
        .isEqualTo("not valid YAML: the character U+0007 is not allowed in YAML");
  }

  @Test
  void compile_yamlSyntaxError_givesTheLineAndColumn() {
    ManifestError error = onlyErrorOf("application: hello\nenvironment: [demo\nresources: []\n");

    assertThat(error.getField()).isEmpty();
    assertThat(error.getLine()).isEqualTo(3);
    assertThat(error.getColumn()).isPositive();
    assertThat(error.getReason()).startsWith("not valid YAML:");
  }

  @Test
  void compile_emptyDocument_saysWhatIsNeeded() {
    ManifestError error = onlyErrorOf("# nothing yet\n");

    assertThat(error.getReason()).contains("empty").contains("application");
  }

  @Test
  void compile_duplicateKey_namesTheFirstLine() {
    ManifestError error = onlyErrorOf("application: hello\nenvironment: demo\napplication: bye\n");

    assertError(error, "application", 3, "duplicate key \"application\" (first on line 1)");
  }

  @Test
  void compile_duplicateMapKey_namesTheEntry() {
    ManifestError error =
        onlyErrorOf("application: a\nenvironment: b\nhosts:\n  labels: {role: web, role: db}\n");

    assertError(error, "hosts.labels[\"role\"]", 4, "duplicate key \"role\" (first on line 4)");
  }

  @Test
  void compile_anchorsAndAliases_areRefused() {
    List<ManifestError> errors =
        errorsOf(
            HEAD
                + """
                  - command: &cmd {argv: [/bin/true]}
                  - command: *cmd
                """);

    assertThat(errors).hasSize(2);
    assertError(errors.get(0), "resources[0].command", 4, "anchors and aliases");
  }

  @Test
  void compile_billionLaughs_isRefusedCheaply() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      yaml.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }

    List<ManifestError> errors = errorsOf(yaml.toString());

    assertThat(errors)
        .singleElement()
        .extracting(ManifestError::getReason)
        .asString()
        .contains("aliases");
  }

  @Test
  void compile_gitReleaseMistakes_areAllReported() {
    List<ManifestError> errors =
        errorsOf(
            HEAD
                + """
                  - git_release:
                      root: /srv/app
                      url: ftp://example.com/app.git
                      commit: 0123456789abcdef0123456789abcdef01234567
                      keep: 500
                """);

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactly(
            "resources[0].git_release.ref",
            "resources[0].git_release.url",
            "resources[0].git_release.commit",
            "resources[0].git_release.keep");
    assertError(errors.get(0), "resources[0].git_release.ref", 4, "ref is required");
    assertError(errors.get(1), "resources[0].git_release.url", 6, "use file://, https://");
    assertThat(resolver.asked).isEmpty();
  }

  @Test
  void compile_credentialsInUrl_areNotEchoed() {
    ManifestError error =
        onlyErrorOf(
            HEAD
                + "  - git_release: {root: /srv/app, url: \"gopher://bob:hunter2@example.com/a\","
                + " ref: main}\n");

    assertThat(error.getReason()).doesNotContain("hunter2");
  }

  @Test
  void compile_commandMistakes_areAllReported() {
    List<ManifestError> errors =
        errorsOf(
            HEAD
                + """
                  - command:
                      argv: []
                      working_dir: tmp
                      timeout_seconds: 90000
                      env: {"1BAD": x}
                      unless: []
                """);

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactly(
            "resources[0].command.argv",
            "resources[0].command.working_dir",
            "resources[0].command.timeout_seconds",
            "resources[0].command.env[\"1BAD\"]",
            "resources[0].command.unless");
    assertThat(errors).extracting(ManifestError::getLine).containsExactly(5, 6, 7, 8, 9);
  }

  @Test
  void compile_severalMistakes_areCollectedInOnePass() {
    List<ManifestError> errors =
        errorsOf(
            """
            application: hello
            enviroment: demo
            resources:
              - file: {path: etc/x, mode: "999"}
              - directory: {path: /srv, owner: [root]}
              - command: {argv: [/bin/true], timeout_seconds: five}
            """);

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "enviroment",
            "resources[1].directory.owner",
            "resources[2].command.timeout_seconds",
            "environment",
            "resources[0].file.path",
            "resources[0].file.mode");
    assertThat(errors)
        .filteredOn(e -> e.getField().equals("enviroment"))
        .singleElement()
        .extracting(ManifestError::getReason)
        .asString()
        .contains("did you mean \"environment\"?");
  }

  @Test
  void compile_tooLargeManifest_isRefusedBeforeParsing() {
    String yaml = HEAD + "# " + "x".repeat(YamlManifestReader.MAX_BYTES) + "\n";

    ManifestError error = onlyErrorOf(yaml);

    assertThat(error.getReason()).contains("at most 1048576");
  }
}
