package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import io.pulley.controller.plan.PlanRenderer;
import io.pulley.controller.stack.StackRenderer;
import io.pulley.v1.HandoverMode;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.Revision;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Revisions stored before {@code stack.web.handover_mode} existed hold the handover as a word in
 * the deprecated {@code stack.web.handover}. They keep their hash, their plan and their rendering,
 * and re-applying their unchanged YAML changes one thing only: their virtualenv no longer names
 * Debian 12's {@code /usr/bin/python3.11} but leaves the interpreter to each host's python3 (the
 * same file on Debian 12, so the agent rebuilds nothing).
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

  /** {@code stored} as today's compiler makes it: the virtualenv's interpreter left to the host. */
  private static List<Resource> withHostPython(List<Resource> stored) {
    return stored.stream()
        .map(
            r -> {
              if (!r.hasVirtualenv()) {
                return r;
              }
              assertThat(r.getVirtualenv().getPython()).isEqualTo("/usr/bin/python3.11");
              Resource.Builder today = r.toBuilder();
              today.getVirtualenvBuilder().clearPython();
              return today.build();
            })
        .toList();
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
  void compile_sameYamlAgain_changesOnlyTheVirtualenvsInterpreter_toTheHosts(String name) {
    Revision revision = stored(name);
    Manifest again = compiled(revision);

    assertThat(again.getResourcesList())
        .isEqualTo(withHostPython(revision.getManifest().getResourcesList()));
    String diff = ManifestDiff.between(revision.getManifest(), again, "revision 3", "new");
    assertThat(diff.lines().filter(line -> line.startsWith("+ ") || line.startsWith("- ")))
        .singleElement()
        .asString()
        .contains("python: \"/usr/bin/python3.11\"");
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
    List<Resource> today = withHostPython(expected.getResourcesList());
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

    assertThat(StackRenderer.render(manifest))
        .isEqualTo(withHostPython(manifest.getResourcesList()));
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
