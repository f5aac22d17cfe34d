package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Command;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stack command's guards, as an admin writes them: {@code creates}, {@code unless} and {@code
 * once}, which keep a one-time set-up such as creating tables from running in every release.
 */
class StackCommandGuardsTest {
  private static final String RELEASE = "/srv/app/releases/" + FixedRefResolver.COMMIT;

  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static String withCommand(String command) {
    return """
        application: app
        environment: staging
        stack:
          git: {url: "https://git.example.com/a.git", ref: main}
          web: {wsgi: app.wsgi}
          site: {domains: [a.example.com]}
          commands:
        """
        + command;
  }

  private Command compiled(String command) {
    CompileResult result = compiler.compile(withCommand(command), "app.yaml");
    assertThat(result.errors()).isEmpty();
    return result.manifest().orElseThrow().getResourcesList().stream()
        .filter(r -> r.getId().equals("command:init-db"))
        .map(Resource::getCommand)
        .findFirst()
        .orElseThrow();
  }

  private List<ManifestError> errors(String command) {
    CompileResult result = compiler.compile(withCommand(command), "app.yaml");
    assertThat(result.ok()).isFalse();
    return result.errors();
  }

  @Test
  void byDefault_aCommandRunsOnceInEachRelease() {
    Command command = compiled("    - {name: init-db, argv: [flask, init-db]}\n");

    assertThat(command.getDoneMarker()).isEqualTo(RELEASE + "/.pulley-done/command-init-db");
    assertThat(command.getCreates()).isEmpty();
    assertThat(command.getUnlessList()).isEmpty();
  }

  @Test
  void onceHost_keepsItsMarkerInTheSharedDirectory_whichNoReleaseDeletes() {
    Command command = compiled("    - {name: init-db, argv: [flask, init-db], once: host}\n");

    assertThat(command.getDoneMarker()).isEqualTo("/srv/app/shared/.pulley-done/command-init-db");
  }

  @Test
  void onceEnvironment_runsOnOneHostUntilDone_andKeepsTheHostMarkerToo() {
    Command command =
        compiled("    - {name: init-db, argv: [flask, init-db], once: environment}\n");

    assertThat(command.getOnceEverInEnvironment()).isTrue();
    assertThat(command.getOncePerEnvironment()).isTrue();
    assertThat(command.getDoneMarker()).isEqualTo("/srv/app/shared/.pulley-done/command-init-db");
  }

  @Test
  void onlyOnceEnvironment_isRecordedByTheController() {
    assertThat(
            compiled("    - {name: init-db, argv: [flask, init-db], once: host}\n")
                .getOnceEverInEnvironment())
        .isFalse();
    assertThat(
            compiled("    - {name: init-db, argv: [flask, init-db], once_per_environment: true}\n")
                .getOnceEverInEnvironment())
        .isFalse();
  }

  @Test
  void creates_relativeIsBelowTheSharedDirectory_absoluteStaysAsWritten() {
    assertThat(
            compiled("    - {name: init-db, argv: [flask, init-db], creates: instance/app.db}\n")
                .getCreates())
        .isEqualTo("/srv/app/shared/instance/app.db");
    assertThat(
            compiled("    - {name: init-db, argv: [flask, init-db], creates: /var/lib/app/db}\n")
                .getCreates())
        .isEqualTo("/var/lib/app/db");
  }

  @Test
  void unless_runsLikeTheCommand_asTheAppsUserInTheRelease() {
    Command command =
        compiled(
            "    - {name: init-db, argv: [flask, init-db], unless: [python, -m, app.has_tables]}\n");

    assertThat(command.getUnlessList()).containsExactly("python", "-m", "app.has_tables");
    assertThat(command.getUser()).isEqualTo("app");
    assertThat(command.getWorkingDir()).isEqualTo(RELEASE);
  }

  @Test
  void badGuards_areRefusedWithTheirFieldAndReason() {
    List<ManifestError> refused =
        errors(
            """
                - {name: init-db, argv: [flask, init-db], creates: ../../etc/passwd}
                - {name: seed, argv: [flask, seed], unless: [""]}
                - {name: warm, argv: [flask, warm], once: always}
                - {name: load, argv: [flask, load], once: environments}
            """);

    assertThat(refused)
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.commands[0].creates",
            "stack.commands[1].unless[0]",
            "stack.commands[2].once",
            "stack.commands[3].once");
    assertThat(refused)
        .filteredOn(e -> e.getField().equals("stack.commands[2].once"))
        .singleElement()
        .satisfies(e -> assertThat(e.getReason()).contains("release, host, environment"));
  }
}
