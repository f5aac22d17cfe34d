package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import io.pulley.controller.plan.PlanRenderer;
import io.pulley.controller.stack.StackDefaults;
import io.pulley.controller.stack.StackRenderer;
import io.pulley.v1.Command;
import io.pulley.v1.Handover;
import io.pulley.v1.HandoverMode;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.Revision;
import io.pulley.wire.EnvironmentFileFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Revisions stored before {@code stack.web.handover_mode} existed hold the handover as a word in
 * the deprecated {@code stack.web.handover}. They keep their hash, their plan and their rendering,
 * and re-applying their unchanged YAML changes what today's renderer does differently: their
 * virtualenv no longer names Debian 12's {@code /usr/bin/python3.11} but leaves the interpreter to
 * each host's python3 (the same file on Debian 12, so the agent rebuilds nothing), and the
 * application's variables move from the uWSGI ini, the units and the commands into the environment
 * file, which they all read (docs/install.md, notes for upgrades).
 */
class RevisionsBeforeHandoverModeTest {

  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  /** A stored revision: "reload" and "per-release" declare drain_seconds, "defaults" nothing. */
  private static Revision stored(String name) {
    String resource = "revisions-before-handover-mode/" + name + ".textproto";
    try (InputStream in = RevisionsBeforeHandoverModeTest.class.getResourceAsStream(resource)) {
      return TextFormat.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), Revision.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Manifest compiled(Revision revision) {
    return compiler.compile(revision.getSourceYaml(), "again.yaml").manifest().orElseThrow();
  }

  static final String ENVIRONMENT_FILE = "/srv/shop/shared/config/environment";

  /**
   * {@code stored} as today's compiler makes it: the virtualenv's interpreter left to the host, and
   * the variables (PULLEY_SETTINGS) read from the environment file, which comes after the settings
   * and is taken from {@code today}.
   */
  private static List<Resource> asRenderedToday(List<Resource> stored, List<Resource> today) {
    List<Resource> expected = new ArrayList<>();
    for (Resource resource : stored) {
      Resource.Builder now = resource.toBuilder();
      if (resource.hasVirtualenv()) {
        assertThat(resource.getVirtualenv().getPython()).isEqualTo("/usr/bin/python3.11");
        now.getVirtualenvBuilder().clearPython();
      }
      if (resource.getId().equals("file:uwsgi-ini")) {
        String ini = resource.getFile().getContent();
        assertThat(ini).contains(SETTINGS_IN_INI);
        now.getFileBuilder().setContent(ini.replace(SETTINGS_IN_INI, ""));
      }
      if (resource.hasCommand()) {
        readsTheFile(now.getCommandBuilder());
      }
      // Checked by what they serve since.
      if (resource.getId().equals("service:postgresql")) {
        now.getServiceBuilder().getProbeBuilder().addArgv("pg_isready").addArgv("--quiet");
      }
      if (resource.getId().equals("service:redis")) {
        now.getServiceBuilder().getProbeBuilder().addArgv("redis-cli").addArgv("ping");
      }
      if (resource.getId().equals("service:nginx")) {
        now.getServiceBuilder()
            .getProbeBuilder()
            .addAllArgv(List.of("python3", "-c", NGINX_ACCEPTS, "80"));
      }
      if (resource.hasHandover()) {
        Handover.Builder handover = now.getHandoverBuilder();
        handover.setWebUnitContent(
            handover
                .getWebUnitContent()
                .replace(
                    "Environment=PULLEY_INSTANCE=%i\n",
                    "Environment=PULLEY_INSTANCE=%i\nEnvironmentFile=" + ENVIRONMENT_FILE + "\n"));
        if (handover.hasWorkerCelery()) {
          handover.setWorkerUnitContent(
              handover
                  .getWorkerUnitContent()
                  .replace(SETTINGS_IN_UNIT, "EnvironmentFile=" + ENVIRONMENT_FILE + "\n"));
          readsTheFile(handover.getWorkerCeleryBuilder());
        }
        handover.addFreshStartOn("file:environment");
        if (!handover.getHttpSocketLink().isEmpty()) {
          // A site with WebSockets waits websocket_drain_seconds for the old instance, not
          // harakiri.
          handover.setRequestTimeoutSeconds(
              Math.min(handover.getRequestTimeoutSeconds(), StackDefaults.WEBSOCKET_DRAIN_SECONDS));
        }
      }
      expected.add(now.build());
      if (resource.getId().equals("package:stack")) {
        // The stack's part of the host's firewall, rendered since: its site's ports only.
        Resource firewall = byId(today, "firewall");
        assertThat(firewall.getFirewall().getPortsOnly()).isTrue();
        expected.add(firewall);
      }
      if (resource.getId().equals("file:nginx-site")) {
        // The message of the day, rendered since.
        expected.add(byId(today, "directory:/etc/motd.d"));
        expected.add(byId(today, "file:motd"));
      }
      if (resource.getId().equals("file:settings")) {
        Resource file = byId(today, "file:environment");
        assertThat(EnvironmentFileFormat.parse(file.getFile().getContent()))
            .containsEntry("PULLEY_SETTINGS", "/srv/shop/shared/config/settings.ini");
        expected.add(file);
      }
    }
    return expected;
  }

  private static final String NGINX_ACCEPTS =
      "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 5).close()";

  private static final String SETTINGS_IN_INI =
      "env = PULLEY_SETTINGS=/srv/shop/shared/config/settings.ini\n";
  private static final String SETTINGS_IN_UNIT =
      "Environment=\"PULLEY_SETTINGS=/srv/shop/shared/config/settings.ini\"\n";

  /** A command's variables, once in its env and now in the environment file (PATH stays). */
  private static void readsTheFile(Command.Builder command) {
    assertThat(command.getEnvMap())
        .containsEntry("PULLEY_SETTINGS", "/srv/shop/shared/config/settings.ini");
    command.removeEnv("PULLEY_SETTINGS").setEnvFile(ENVIRONMENT_FILE);
  }

  /** The ids of the resources that differ between {@code a} and {@code b}, or are in one only. */
  private static Set<String> changedIds(List<Resource> a, List<Resource> b) {
    Map<String, Resource> before = new HashMap<>();
    a.forEach(r -> before.put(r.getId(), r));
    Set<String> changed = new TreeSet<>();
    for (Resource r : b) {
      if (!r.equals(before.remove(r.getId()))) {
        changed.add(r.getId());
      }
    }
    changed.addAll(before.keySet());
    return changed;
  }

  private static Resource byId(List<Resource> resources, String id) {
    return resources.stream().filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  private static Resource byId(Manifest manifest, String id) {
    return manifest.getResourcesList().stream()
        .filter(r -> r.getId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("deprecation") // the stored revision holds the deprecated word
  @Test
  void fixture_holdsTheHandoverAsTheDeprecatedWord() {
    assertThat(stored("reload").getManifest().getStack().getWeb().getHandover())
        .isEqualTo("reload");
    assertThat(stored("reload").getManifest().getStack().getWeb().getHandoverMode())
        .isEqualTo(HandoverMode.HANDOVER_MODE_UNSPECIFIED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"reload", "per-release", "defaults"})
  void contentHash_ofAStoredRevision_isTheHashItWasStoredWith(String name) {
    Revision revision = stored(name);

    assertThat(ContentHash.of(revision.getManifest())).isEqualTo(revision.getContentHash());
  }

  @ParameterizedTest
  @ValueSource(strings = {"reload", "per-release"})
  void compile_sameYamlAgain_changesTheInterpreter_andMovesTheVariablesToTheEnvironmentFile(
      String name) {
    Revision revision = stored(name);
    Manifest again = compiled(revision);
    List<Resource> stored = revision.getManifest().getResourcesList();

    assertThat(again.getResourcesList())
        .isEqualTo(asRenderedToday(stored, again.getResourcesList()));
    Set<String> expected =
        new TreeSet<>(
            List.of(
                "check:import",
                "directory:/etc/motd.d",
                "file:environment",
                "file:motd",
                "file:uwsgi-ini",
                "firewall",
                "handover",
                "service:nginx",
                "venv"));
    stored.stream()
        .map(Resource::getId)
        .filter(
            id ->
                id.startsWith("command:")
                    || id.equals("service:celery-beat")
                    || id.equals("service:postgresql")
                    || id.equals("service:redis"))
        .forEach(expected::add);
    assertThat(changedIds(stored, again.getResourcesList())).isEqualTo(expected);
    String diff = ManifestDiff.between(revision.getManifest(), again, "revision 3", "new");
    assertThat(diff)
        .contains("-    python: \"/usr/bin/python3.11\"\n", "+  id: \"file:environment\"\n")
        .contains("+    fresh_start_on: \"file:environment\"\n");
  }

  @SuppressWarnings("deprecation") // checks that the deprecated word is gone
  @Test
  void compile_sameYamlAgain_storesTheEnumAndNoWord() {
    Manifest again = compiled(stored("reload"));

    assertThat(again.getStack().getWeb().getHandoverMode())
        .isEqualTo(HandoverMode.HANDOVER_MODE_RELOAD);
    assertThat(again.getStack().getWeb().getHandover()).isEmpty();
  }

  @Test
  void compile_withoutDrainSeconds_changesOnlyTheHandoversDrain_whichTheAgentNoLongerDefaults() {
    Revision revision = stored("defaults");
    Manifest again = compiled(revision);

    Manifest.Builder expected = revision.getManifest().toBuilder();
    List<Resource> today = asRenderedToday(expected.getResourcesList(), again.getResourcesList());
    expected.clearResources().addAllResources(today);
    for (Resource.Builder resource : expected.getResourcesBuilderList()) {
      if (resource.hasHandover()) {
        assertThat(resource.getHandover().getDrainSeconds()).isZero();
        resource.getHandoverBuilder().setDrainSeconds(2);
      }
    }
    assertThat(again).isEqualTo(expected.build());
    assertThat(ContentHash.of(again)).isNotEqualTo(revision.getContentHash());
    assertThat(ManifestDiff.between(revision.getManifest(), again, "revision 3", "new"))
        .contains("+    drain_seconds: 2\n")
        .doesNotContain("handover_mode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reload", "per-release"})
  void planRenderer_storedRevision_servesTheResourcesAsStored(String name) {
    Revision revision = stored(name);

    HostPlan plan =
        new PlanRenderer().render("web-1", HostFacts.getDefaultInstance(), List.of(revision));

    assertThat(plan.getApps(0).getResourcesList())
        .isEqualTo(revision.getManifest().getResourcesList());
  }

  // Stored before drain_seconds was always written, the handover says 0 for "the default", which
  // today's agent reads as "no pause": the plan says the default (2) instead.
  @Test
  void planRenderer_storedRevisionWithoutDrain_servesTheDefaultDrain_andTheRestAsStored() {
    Revision revision = stored("defaults");
    List<Resource> storedResources = revision.getManifest().getResourcesList();
    assertThat(byId(revision.getManifest(), "handover").getHandover().getDrainSeconds()).isZero();

    List<Resource> served =
        new PlanRenderer()
            .render("web-1", HostFacts.getDefaultInstance(), List.of(revision))
            .getApps(0)
            .getResourcesList();

    assertThat(served).hasSameSizeAs(storedResources);
    for (int i = 0; i < served.size(); i++) {
      Resource expected = storedResources.get(i);
      if (expected.hasHandover()) {
        assertThat(served.get(i).getHandover().getDrainSeconds()).isEqualTo(2);
        Resource.Builder drainAsStored = served.get(i).toBuilder();
        drainAsStored.getHandoverBuilder().setDrainSeconds(0);
        assertThat(drainAsStored.build()).isEqualTo(expected);
      } else {
        assertThat(served.get(i)).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reload", "per-release"})
  void stackRenderer_storedManifest_readsTheWordAsTheMode(String name) {
    Manifest manifest = stored(name).getManifest();

    List<Resource> rendered = StackRenderer.render(manifest);

    assertThat(rendered).isEqualTo(asRenderedToday(manifest.getResourcesList(), rendered));
    assertThat(byId(manifest, "handover").getHandover().getMode())
        .isEqualTo(
            name.equals("reload")
                ? HandoverMode.HANDOVER_MODE_RELOAD
                : HandoverMode.HANDOVER_MODE_PER_RELEASE);
  }

  @Test
  void manifestDiff_againstAStoredRevision_showsOnlyWhatChanged() {
    Revision revision = stored("reload");
    Manifest changed =
        compiler
            .compile(revision.getSourceYaml().replace("listen: 2048", "listen: 4096"), "new.yaml")
            .manifest()
            .orElseThrow();

    String diff = ManifestDiff.between(revision.getManifest(), changed, "revision 3", "new");

    assertThat(diff).contains("-    listen: 2048\n", "+    listen: 4096\n");
    assertThat(diff.lines().filter(line -> line.startsWith("+") || line.startsWith("-")))
        .noneMatch(line -> line.contains("handover"));
  }
}
