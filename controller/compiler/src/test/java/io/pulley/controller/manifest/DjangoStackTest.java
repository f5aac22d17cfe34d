package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.Command;
import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stack's django section: settings for every process, migrate and collectstatic as steps. */
class DjangoStackTest {
  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static String withDjango(String django, String extra) {
    return """
        application: polls
        environment: production
        stack:
          git: {url: "https://git.example.com/polls.git", ref: main}
          web: {wsgi: mysite.wsgi}
          site: {domains: [polls.example.com, "*.polls.example.com"]%s}
          django: %s
          commands:
            - {name: seed, argv: [python, manage.py, loaddata, seed.json]}
        """
        .formatted(extra, django);
  }

  private List<Resource> resources(String yaml) {
    CompileResult result = compiler.compile(yaml, "polls.yaml");
    assertThat(result.errors()).isEmpty();
    return result.manifest().orElseThrow().getResourcesList();
  }

  @Test
  void migrateAndCollectstatic_runBeforeTheManifestsCommands_withTheSettingsModule() {
    List<Resource> resources =
        resources(
            withDjango("{settings: mysite.settings, migrate: true, collectstatic: true}", ""));

    List<String> ids = resources.stream().map(Resource::getId).toList();
    assertThat(ids)
        .containsSubsequence(
            "check:import",
            "command:django-migrate",
            "command:django-collectstatic",
            "command:seed");
    Command migrate = byId(resources, "command:django-migrate").getCommand();
    assertThat(migrate.getArgvList())
        .containsExactly("python", "manage.py", "migrate", "--noinput");
    assertThat(migrate.getOncePerEnvironment()).isTrue();
    Command collect = byId(resources, "command:django-collectstatic").getCommand();
    assertThat(collect.getOncePerEnvironment()).isFalse();
    assertThat(collect.getEnvFile()).isEqualTo("/srv/polls/shared/config/environment");
    assertThat(environmentFile(resources))
        .contains("DJANGO_SETTINGS_MODULE=\"mysite.settings\"\n")
        .contains("STATIC_ROOT=\"/srv/polls/shared/static\"\n")
        .contains("DJANGO_ALLOWED_HOSTS=\"polls.example.com,.polls.example.com\"\n");
  }

  @Test
  void collectedFiles_liveOutsideTheRelease_andNginxServesThem() {
    List<Resource> resources =
        resources(withDjango("{settings: mysite.settings, collectstatic: true}", ""));

    Resource staticRoot = byId(resources, "directory:/srv/polls/shared/static");
    assertThat(staticRoot.getDirectory().getOwner()).isEqualTo("polls");
    assertThat(staticRoot.getDirectory().getMode()).isEqualTo("0755");
    String site = nginxSite(resources);
    assertThat(site).contains("location /static/ {\n        alias /srv/polls/shared/static/;");
    assertThat(resources).noneMatch(r -> r.getId().equals("command:django-migrate"));
  }

  @Test
  void withoutTheSteps_onlyTheSettingsModuleIsSet() {
    List<Resource> resources = resources(withDjango("{settings: mysite.settings}", ""));

    assertThat(resources)
        .noneMatch(r -> r.getId().startsWith("command:django-"))
        .noneMatch(r -> r.getId().equals("directory:/srv/polls/shared/static"));
    assertThat(environmentFile(resources))
        .contains("DJANGO_SETTINGS_MODULE=\"mysite.settings\"\n")
        .doesNotContain("STATIC_ROOT");
    assertThat(nginxSite(resources)).doesNotContain("location /static/");
  }

  @Test
  void mistakes_areRefusedWithTheFieldAndReason() {
    CompileResult result =
        compiler.compile(
            withDjango(
                    "{settings: \"mysite/settings.py\", manage: ../manage.py, collectstatic: true}",
                    ", static_dir: static")
                .replace("name: seed", "name: django-migrate")
                .replace("stack:\n", "stack:\n  environment: {STATIC_ROOT: /tmp/x}\n"),
            "polls.yaml");

    assertThat(result.errors())
        .extracting(ManifestError::getField)
        .containsExactlyInAnyOrder(
            "stack.django.settings",
            "stack.django.manage",
            "stack.site.static_dir",
            "stack.commands[0].name",
            "stack.environment[\"STATIC_ROOT\"]");
    assertThat(result.manifest()).isEmpty();
  }

  @Test
  void missingSettings_isRequired() {
    CompileResult result = compiler.compile(withDjango("{migrate: true}", ""), "polls.yaml");

    assertThat(result.errors())
        .extracting(ManifestError::getReason)
        .anyMatch(reason -> reason.contains("django.settings is required"));
  }

  private static String environmentFile(List<Resource> resources) {
    return byId(resources, "file:environment").getFile().getContent();
  }

  private static String nginxSite(List<Resource> resources) {
    return resources.stream()
        .filter(r -> r.hasFile() && r.getFile().getPath().startsWith("/etc/nginx/sites-enabled/"))
        .findFirst()
        .orElseThrow()
        .getFile()
        .getContent();
  }

  private static Resource byId(List<Resource> resources, String id) {
    return resources.stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }
}
