package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static io.pulley.controller.stack.SampleStacks.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Command;
import io.pulley.v1.File;
import io.pulley.v1.Handover;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackSecretVariable;
import io.pulley.wire.EnvironmentFileFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The environment file: what it holds, who reads it (uWSGI and Celery through systemd, commands
 * through the agent), and that no secret and no variable is left in a unit, an ini or a command.
 */
class StackEnvironmentTest {

  private static final String PATH = "/srv/pulley-sample/shared/config/environment";

  private static Stack.Builder withSecrets() {
    return full()
        .putSecretEnvironment(
            "DJANGO_SECRET_KEY",
            StackSecretVariable.newBuilder()
                .setSecret("django-secret-key")
                .setGenerate(true)
                .build())
        .putSecretEnvironment(
            "STRIPE_KEY", StackSecretVariable.newBuilder().setSecret("stripe").build());
  }

  private static Resource byId(List<Resource> resources, String id) {
    return resources.stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void file_fullSample_holdsTheStacksVariables_theManifestsAndSecretPlaceholders() {
    File file = byId(StackRenderer.render(manifest(withSecrets())), "file:environment").getFile();

    assertThat(file.getPath()).isEqualTo(PATH);
    assertThat(file.getOwner()).isEqualTo("root");
    assertThat(file.getGroup()).isEqualTo("pulley-sample");
    assertThat(file.getMode()).isEqualTo("0640");
    assertThat(file.getSensitive()).isTrue();
    assertThat(file.getContent())
        .isEqualTo(
            """
            # Written by Pulley from the stack section of pulley-sample/staging; edits here are overwritten.
            # Read by systemd for uWSGI and Celery (EnvironmentFile=), and by the agent for the stack's commands.
            CELERY_BROKER_URL="redis://127.0.0.1:6379/3"
            DATABASE_URL="postgresql://pulley_sample:${secret:database-password|url|env}@127.0.0.1:5432/pulley_sample"
            DJANGO_SECRET_KEY="${secret:django-secret-key|env}"
            PULLEY_SETTINGS="/srv/pulley-sample/shared/config/settings.ini"
            REDIS_URL="redis://127.0.0.1:6379/1"
            STRIPE_KEY="${secret:stripe|env}"
            TZ="UTC"
            """);
  }

  @Test
  void file_minimal_holdsOnlyTheSettingsPath() {
    File file = byId(StackRenderer.render(manifest(minimal())), "file:environment").getFile();

    assertThat(EnvironmentFileFormat.parse(file.getContent()))
        .containsExactly(
            Map.entry("PULLEY_SETTINGS", "/srv/pulley-sample/shared/config/settings.ini"));
  }

  @Test
  void file_hostileValues_areReadBackExactly() {
    Map<String, String> values =
        Map.of(
            "QUOTES", "say \"hi\" and 'bye'",
            "BACKSLASH", "C:\\path\\",
            "DOLLAR", "$HOME ${HOME} $(id) ${secret:database-password}",
            "COMMENT", "# not a comment ; nor this",
            "SPACES", "  both ends  ",
            "UNICODE", "Grüße 😀",
            "PERCENT", "100% %i %h");
    Stack.Builder stack = minimal().putAllEnvironment(values);
    File file = byId(StackRenderer.render(manifest(stack)), "file:environment").getFile();

    assertThat(EnvironmentFileFormat.parse(file.getContent())).containsAllEntriesOf(values);
    assertThat(file.getContent()).as("no placeholder the agent would fill").doesNotContain("${");
  }

  @Test
  void units_readTheFile_andNoUnitIniOrCommandHoldsAVariableOrASecret() {
    List<Resource> resources = StackRenderer.render(manifest(withSecrets()));
    Handover handover = byId(resources, "handover").getHandover();
    String beat = byId(resources, "service:celery-beat").getService().getUnit();

    for (String unit :
        List.of(handover.getWebUnitContent(), handover.getWorkerUnitContent(), beat)) {
      assertThat(unit)
          .contains("\nEnvironmentFile=" + PATH + "\n")
          .doesNotContain("Environment=\"");
    }
    for (Resource resource : resources) {
      if (resource.getId().equals("file:environment") || resource.getId().equals("file:settings")) {
        continue;
      }
      assertThat(resource.toString())
          .as(resource.getId())
          .doesNotContain("${secret:", "UTC", "DJANGO_SECRET_KEY", "STRIPE_KEY", "DATABASE_URL");
    }
  }

  @Test
  void commands_andTheWorkersControlCommand_readTheFile() {
    List<Resource> resources = StackRenderer.render(manifest(full()));

    for (String id : List.of("check:import", "command:migrate")) {
      Command command = byId(resources, id).getCommand();
      assertThat(command.getEnvFile()).as(id).isEqualTo(PATH);
      assertThat(command.getEnvMap()).as(id).containsOnlyKeys("PATH");
    }
    assertThat(byId(resources, "handover").getHandover().getWorkerCelery().getEnvFile())
        .isEqualTo(PATH);
  }

  @Test
  void aChangedFile_restartsWhatReadsIt_throughSystemd() {
    List<Resource> resources = StackRenderer.render(manifest(full()));

    assertThat(byId(resources, "handover").getHandover().getFreshStartOnList())
        .containsExactly("file:environment");
    assertThat(byId(resources, "service:celery-beat").getService().getRestartOnList())
        .contains("file:environment");
    List<String> ids = resources.stream().map(Resource::getId).toList();
    assertThat(ids).containsSubsequence("file:settings", "file:environment", "check:import");
  }

  @Test
  void setByStack_namesOnlyThePartsTheStackHas() {
    assertThat(StackEnvironment.setByStack(minimal().build())).containsExactly("PULLEY_SETTINGS");
    assertThat(StackEnvironment.setByStack(full().build()))
        .containsExactly("CELERY_BROKER_URL", "DATABASE_URL", "PULLEY_SETTINGS", "REDIS_URL");
  }
}
