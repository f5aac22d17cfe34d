package io.pulley.controller.stack;

import static io.pulley.controller.stack.SampleStacks.COMMIT;
import static io.pulley.controller.stack.SampleStacks.RELEASE;
import static io.pulley.controller.stack.SampleStacks.full;
import static io.pulley.controller.stack.SampleStacks.manifest;
import static io.pulley.controller.stack.SampleStacks.minimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.v1.Command;
import io.pulley.v1.DatabaseDump;
import io.pulley.v1.Handover;
import io.pulley.v1.HandoverMode;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import io.pulley.v1.StackCelery;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The stack renders to resources in the documented order, with the documented ids. */
class StackRendererTest {

  private static Map<String, Resource> byId(List<Resource> resources) {
    return resources.stream()
        .collect(Collectors.toMap(Resource::getId, Function.identity(), (a, b) -> a));
  }

  @Test
  void render_withoutStack_rendersNothing() {
    assertThat(StackRenderer.render(Manifest.newBuilder().setApplication("a").build())).isEmpty();
  }

  @Test
  void render_fullSample_rendersEveryResourceInApplyOrder() {
    List<Resource> resources = StackRenderer.render(manifest(full()));

    assertThat(resources)
        .extracting(Resource::getId)
        .containsExactly(
            "package:stack",
            "firewall",
            "group:pulley-sample",
            "user:pulley-sample",
            "directory:/srv/pulley-sample",
            "directory:/srv/pulley-sample/releases",
            "directory:/srv/pulley-sample/shared",
            "directory:/srv/pulley-sample/shared/config",
            "directory:/srv/pulley-sample/shared/log",
            "directory:/srv/pulley-sample/shared/data",
            "directory:/srv/pulley-sample/shared/celerybeat",
            "service:postgresql",
            "service:redis",
            "database:pulley_sample",
            "file:settings",
            "file:environment",
            "file:uwsgi-ini",
            "file:nginx-site",
            "directory:/etc/motd.d",
            "file:motd",
            "release:checkout",
            "venv",
            "check:import",
            "dump:database",
            "command:migrate",
            "service:nginx",
            "handover",
            "release:switch",
            "service:celery-beat",
            "health",
            "schema:database");
  }

  @Test
  void render_minimal_leavesOutDatabaseRedisCeleryAndPassword() {
    assertThat(StackRenderer.render(manifest(minimal())))
        .extracting(Resource::getId)
        .doesNotContain(
            "service:postgresql",
            "service:redis",
            "database:pulley_sample",
            "file:htpasswd",
            "service:celery-beat")
        .contains("file:settings", "handover", "service:nginx", "health");
    Handover handover =
        byId(StackRenderer.render(manifest(minimal()))).get("handover").getHandover();
    assertThat(handover.getWorkerUnit()).isEmpty();
    assertThat(handover.getRetiredWorkerUnitsList()).isEmpty();
  }

  @Test
  void render_sameManifestTwice_givesEqualResources() {
    assertThat(StackRenderer.render(manifest(full())))
        .isEqualTo(StackRenderer.render(manifest(full())));
  }

  @Test
  void render_commitNotPinned_failsFast() {
    var stack = minimal();
    stack.getGitBuilder().clearCommit();

    assertThatThrownBy(() -> StackRenderer.render(manifest(stack)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stack.git.commit");
  }

  @Test
  void render_packages_addDatabaseRedisAndExtrasOnce() {
    var stack = full().addPackages("nginx");
    Resource packages = StackRenderer.render(manifest(stack)).get(0);

    assertThat(packages.getPackage().getNamesList())
        .containsExactly(
            "nginx",
            "uwsgi",
            "uwsgi-plugin-python3",
            "python3-venv",
            "python3-pip",
            "python3-setuptools",
            "postgresql",
            "redis-server",
            "python3-pyramid");
  }

  @Test
  void render_accountAndDirectories_matchTheHostLayout() {
    Map<String, Resource> resources = byId(StackRenderer.render(manifest(full())));

    var user = resources.get("user:pulley-sample").getUser();
    assertThat(user.getGroup()).isEqualTo("pulley-sample");
    assertThat(user.getHome()).isEqualTo("/srv/pulley-sample");
    assertThat(user.getShell()).isEqualTo("/usr/sbin/nologin");
    var config = resources.get("directory:/srv/pulley-sample/shared/config").getDirectory();
    assertThat(List.of(config.getOwner(), config.getGroup(), config.getMode()))
        .containsExactly("root", "pulley-sample", "0750");
    var log = resources.get("directory:/srv/pulley-sample/shared/log").getDirectory();
    assertThat(List.of(log.getOwner(), log.getGroup(), log.getMode()))
        .containsExactly("pulley-sample", "pulley-sample", "0750");
  }

  @Test
  void render_database_usesTheGeneratedPasswordSecret() {
    var database = byId(StackRenderer.render(manifest(full()))).get("database:pulley_sample");

    assertThat(database.getDatabase().getOwner()).isEqualTo("pulley_sample");
    assertThat(database.getDatabase().getPasswordSecret()).isEqualTo("database-password");
    assertThat(database.getDatabase().getExtensionsList()).containsExactly("hstore");
  }

  @Test
  void render_release_checksOutOnlyThenMakesTheVenvInTheRelease() {
    Map<String, Resource> resources = byId(StackRenderer.render(manifest(full())));

    var checkout = resources.get("release:checkout").getGitRelease();
    assertThat(checkout.getCheckoutOnly()).isTrue();
    assertThat(checkout.getCommit()).isEqualTo(COMMIT);
    assertThat(checkout.getRoot()).isEqualTo("/srv/pulley-sample");
    assertThat(checkout.getKeep()).isEqualTo(5);
    var venv = resources.get("venv").getVirtualenv();
    assertThat(venv.getPath()).isEqualTo(RELEASE + "/venv");
    assertThat(venv.getPython()).isEmpty();
    assertThat(venv.getSystemSitePackages()).isTrue();
    assertThat(venv.getInstall()).isEqualTo(RELEASE);
    assertThat(venv.getRequirements()).isEmpty();
    assertThat(venv.getPipArgsList()).containsExactly("--no-index");
    var link = resources.get("release:switch").getReleaseLink();
    assertThat(link.getCommit()).isEqualTo(COMMIT);
    assertThat(link.getKeep()).isEqualTo(5);
  }

  @Test
  void render_skipInstallAndRequirements_shapeTheVenv() {
    var stack = minimal();
    stack.getPythonBuilder().setSkipInstall(true).setRequirements("requirements.txt");
    var venv = byId(StackRenderer.render(manifest(stack))).get("venv").getVirtualenv();

    assertThat(venv.getInstall()).isEmpty();
    assertThat(venv.getRequirements()).isEqualTo(RELEASE + "/requirements.txt");
  }

  @Test
  void render_commands_runAsTheAppUserOncePerRelease() {
    Map<String, Resource> resources = byId(StackRenderer.render(manifest(full())));

    Command check = resources.get("check:import").getCommand();
    assertThat(check.getArgvList())
        .containsExactly(RELEASE + "/venv/bin/python", "-c", "import pulley_sample.wsgi");
    assertThat(check.getUser()).isEqualTo("pulley-sample");
    assertThat(check.getWorkingDir()).isEqualTo(RELEASE);
    assertThat(check.getDoneMarker()).isEqualTo(RELEASE + "/.pulley-done/check-import");
    assertThat(check.getEnvMap())
        .containsExactly(
            Map.entry(
                "PATH",
                RELEASE
                    + "/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    assertThat(check.getEnvFile()).isEqualTo("/srv/pulley-sample/shared/config/environment");
    Command migrate = resources.get("command:migrate").getCommand();
    assertThat(migrate.getArgvList())
        .containsExactly("python", "-m", "alembic", "-c", "alembic.ini", "upgrade", "head");
    assertThat(migrate.getDoneMarker()).isEqualTo(RELEASE + "/.pulley-done/command-migrate");
    assertThat(migrate.getTimeoutSeconds()).isEqualTo(300);
    assertThat(migrate.getEnvMap()).isEqualTo(check.getEnvMap());
    assertThat(migrate.getEnvFile()).isEqualTo(check.getEnvFile());
  }

  @Test
  void render_motd_saysWhereTheSitesCodeLogsUnitsAndDumpsAre() {
    Resource motd = byId(StackRenderer.render(manifest(full()))).get("file:motd");

    assertThat(motd.getFile().getPath()).isEqualTo("/etc/motd.d/pulley-pulley-sample");
    assertThat(motd.getFile().getMode()).isEqualTo("0644");
    assertThat(motd.getFile().getContent())
        .contains("  site:     http://sample.example.com/\n")
        .contains("  code:     /srv/pulley-sample/current (the live release")
        .contains(
            "journalctl -u 'pulley-sample-uwsgi@*' -u 'pulley-sample-celery-worker@*'"
                + " -u pulley-sample-celery-beat\n")
        .contains("dumps before migrations in /srv/pulley-sample/dumps/");
  }

  @Test
  void render_database_isDumpedBeforeTheFirstCommand_keptBesideTheReleases() {
    Map<String, Resource> resources = byId(StackRenderer.render(manifest(full())));

    DatabaseDump dump = resources.get("dump:database").getDatabaseDump();
    assertThat(dump.getDatabase()).isEqualTo("pulley_sample");
    assertThat(dump.getDir()).isEqualTo("/srv/pulley-sample/dumps");
    assertThat(dump.getLabel()).isEqualTo(COMMIT.substring(0, 12));
    assertThat(dump.getDoneMarker()).isEqualTo(RELEASE + "/.pulley-done/dump-database");
    assertThat(dump.getKeep()).isEqualTo(5);
    assertThat(dump.getTimeoutSeconds()).isEqualTo(3600);
    assertThat(dump.getOncePerEnvironment()).isFalse();
  }

  @Test
  void render_dump_isFollowedLastByTheSchemasCheck_onTheSameHost() {
    Map<String, Resource> resources = byId(StackRenderer.render(manifest(full())));

    DatabaseDump dump = resources.get("dump:database").getDatabaseDump();
    DatabaseDump since = resources.get("schema:database").getDatabaseDump();
    assertThat(since.getSchemaSince()).isTrue();
    assertThat(since.toBuilder().setSchemaSince(false).build()).isEqualTo(dump);
    assertThat(StackRenderer.render(manifest(full().clearCommands())))
        .extracting(Resource::getId)
        .doesNotContain("schema:database");
  }

  @Test
  void render_dump_goesWithAFirstCommandThatRunsOnOneHost_andCanBeTurnedOff() {
    Stack.Builder once = full();
    once.getCommandsBuilder(0).setOncePerEnvironment(true);
    once.getDatabaseBuilder().getDumpsBuilder().setKeep(2);
    DatabaseDump dump =
        byId(StackRenderer.render(manifest(once))).get("dump:database").getDatabaseDump();
    assertThat(dump.getOncePerEnvironment()).isTrue();
    assertThat(dump.getKeep()).isEqualTo(2);

    Stack.Builder off = full();
    off.getDatabaseBuilder().getDumpsBuilder().setDisabled(true);
    assertThat(StackRenderer.render(manifest(off)))
        .extracting(Resource::getId)
        .doesNotContain("dump:database");
    // Without commands nothing in a release changes the data.
    assertThat(StackRenderer.render(manifest(full().clearCommands())))
        .extracting(Resource::getId)
        .doesNotContain("dump:database");
  }

  @Test
  void render_handover_namesTheTemplatesLinksChecksAndTheUnitsItRetires() {
    Map<String, Resource> resources = byId(StackRenderer.render(manifest(full())));

    Handover handover = resources.get("handover").getHandover();
    assertThat(handover.getRoot()).isEqualTo("/srv/pulley-sample");
    assertThat(handover.getCommit()).isEqualTo(SampleStacks.COMMIT);
    assertThat(handover.getMode()).isEqualTo(HandoverMode.HANDOVER_MODE_PER_RELEASE);
    assertThat(handover.getWebUnit()).isEqualTo("pulley-sample-uwsgi@.service");
    assertThat(handover.getRunDir()).isEqualTo("/run/pulley-sample");
    assertThat(handover.getSocketLink()).isEqualTo("/run/pulley-sample/uwsgi.sock");
    assertThat(handover.getHttpSocketLink()).isEmpty();
    assertThat(handover.getWebCheck()).isEqualTo(resources.get("health").getHealthCheck());
    assertThat(handover.getSiteCheck()).isEqualTo(resources.get("health").getHealthCheck());
    assertThat(handover.getRequestTimeoutSeconds()).isEqualTo(300);
    assertThat(handover.getRetiredWebUnitsList()).containsExactly("pulley-sample-uwsgi.service");
    assertThat(handover.getRestartOnList()).containsExactly("file:settings", "file:uwsgi-ini");
    assertThat(handover.getFreshStartOnList()).containsExactly("file:environment");
    assertThat(handover.getWorkerUnit()).isEqualTo("pulley-sample-celery-worker@.service");
    assertThat(handover.getWorkerNodePrefix()).isEqualTo("pulley-sample-");
    assertThat(handover.getWorkerQueuesList()).containsExactly("celery");
    assertThat(handover.getRetiredWorkerUnitsList())
        .containsExactly("pulley-sample-celery-worker.service");
    Command celery = handover.getWorkerCelery();
    String release = "/srv/pulley-sample/releases/" + SampleStacks.COMMIT;
    assertThat(celery.getArgvList())
        .containsExactly(release + "/venv/bin/python", "-m", "celery", "-A", "pulley_sample.tasks");
    assertThat(celery.getUser()).isEqualTo("pulley-sample");
    assertThat(celery.getWorkingDir()).isEqualTo(release);
    assertThat(celery.getEnvMap()).isEmpty();
    assertThat(celery.getEnvFile()).isEqualTo("/srv/pulley-sample/shared/config/environment");

    var beat = resources.get("service:celery-beat").getService();
    assertThat(beat.getRestartOnList())
        .containsExactly("handover", "file:settings", "file:environment");
    var nginx = resources.get("service:nginx").getService();
    assertThat(nginx.getUnit()).isEmpty();
    assertThat(nginx.getReloadOnList()).containsExactly("file:nginx-site");
    assertThat(resources.get("service:postgresql").getService().getName())
        .isEqualTo("postgresql.service");
  }

  @Test
  void render_queuesAndDrain_reachTheHandover() {
    var stack = full();
    stack.getCeleryBuilder().addQueues("default").addQueues("mail");
    stack.getWebBuilder().setDrainSeconds(5).setHarakiri(60);

    Handover handover = byId(StackRenderer.render(manifest(stack))).get("handover").getHandover();
    assertThat(handover.getWorkerQueuesList()).containsExactly("default", "mail");
    assertThat(handover.getDrainSeconds()).isEqualTo(5);
    assertThat(handover.getRequestTimeoutSeconds()).isEqualTo(60);
  }

  @Test
  void render_handoverWithoutDeclaredValues_carriesTheDefaultDrainAndRequestTimeout() {
    // The agent applies no default of its own: 0 would mean no drain and no wait.
    Handover handover =
        byId(StackRenderer.render(manifest(minimal()))).get("handover").getHandover();

    assertThat(handover.getDrainSeconds()).isEqualTo(2);
    assertThat(handover.getRequestTimeoutSeconds()).isEqualTo(300);
    assertThat(handover.getMode()).isEqualTo(HandoverMode.HANDOVER_MODE_PER_RELEASE);
  }

  @Test
  void render_htpasswd_addsTheFileAndReloadsNginxOnIt() {
    var stack = minimal();
    stack.getSiteBuilder().addHtpasswd("admin:$2y$05$abc").addHtpasswd("ops:$2y$05$def");
    Map<String, Resource> resources = byId(StackRenderer.render(manifest(stack)));

    var file = resources.get("file:htpasswd").getFile();
    assertThat(file.getPath()).isEqualTo("/etc/nginx/pulley-sample.htpasswd");
    assertThat(file.getContent()).isEqualTo("admin:$2y$05$abc\nops:$2y$05$def\n");
    assertThat(List.of(file.getOwner(), file.getGroup(), file.getMode()))
        .containsExactly("root", "www-data", "0640");
    assertThat(resources.get("service:nginx").getService().getReloadOnList())
        .containsExactly("file:nginx-site", "file:htpasswd");
  }

  @Test
  void render_celeryWithoutWorker_rendersOnlyBeat() {
    var stack =
        full()
            .setCelery(
                StackCelery.newBuilder()
                    .setApp("pulley_sample.tasks")
                    .setNoWorker(true)
                    .setBeat(true));

    assertThat(StackRenderer.render(manifest(stack)))
        .extracting(Resource::getId)
        .contains("service:celery-beat");
    assertThat(
            byId(StackRenderer.render(manifest(stack)))
                .get("handover")
                .getHandover()
                .getWorkerUnit())
        .isEmpty();
  }

  @Test
  void render_health_goesThroughNginxWithTheFirstDomain() {
    var plain = byId(StackRenderer.render(manifest(full()))).get("health").getHealthCheck();
    assertThat(plain.getUrl()).isEqualTo("http://127.0.0.1:80/health");
    assertThat(plain.getHostHeader()).isEqualTo("sample.example.com");
    assertThat(plain.getExpectStatus()).isEqualTo(200);
    assertThat(plain.getDeadlineSeconds()).isEqualTo(60);
    assertThat(plain.getInsecureTls()).isFalse();

    var tls =
        byId(StackRenderer.render(manifest(SampleStacks.withTls(full()))))
            .get("health")
            .getHealthCheck();
    assertThat(tls.getUrl()).isEqualTo("https://127.0.0.1:443/health");
    assertThat(tls.getInsecureTls()).isTrue();
  }

  @Test
  void render_stackNameAndRoot_replaceTheDefaults() {
    var stack = minimal().setName("shop").setRoot("/opt/shop");
    Map<String, Resource> resources = byId(StackRenderer.render(manifest(stack)));

    assertThat(resources).containsKeys("user:shop", "directory:/opt/shop/shared/config");
    assertThat(resources.get("handover").getHandover().getWebUnit())
        .isEqualTo("shop-uwsgi@.service");
    assertThat(resources.get("file:nginx-site").getFile().getPath())
        .isEqualTo("/etc/nginx/sites-enabled/shop.conf");
  }
}
