package io.pulley.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.v1.AppPlan;
import io.pulley.v1.Command;
import io.pulley.v1.File;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.HostSelector;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.Revision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlanRendererTest {

  private static final HostFacts WEB_PRODUCTION =
      facts(Map.of("role", "web", "env", "production", "dc", "hel1"));

  private final PlanRenderer renderer = new PlanRenderer();

  @Test
  void selects_emptySelector_matchesEveryHost() {
    assertThat(PlanRenderer.selects(HostSelector.getDefaultInstance(), "web-1", facts(Map.of())))
        .isTrue();
  }

  @Test
  void selects_labelsThatAreASubsetOfTheHosts_matches() {
    HostSelector selector = labels(Map.of("role", "web", "env", "production"));

    assertThat(PlanRenderer.selects(selector, "web-1", WEB_PRODUCTION)).isTrue();
  }

  @Test
  void selects_labelWithAnotherValue_doesNotMatch() {
    HostSelector selector = labels(Map.of("role", "web", "env", "staging"));

    assertThat(PlanRenderer.selects(selector, "web-1", WEB_PRODUCTION)).isFalse();
  }

  @Test
  void selects_labelTheHostLacks_doesNotMatch() {
    HostSelector selector = labels(Map.of("role", "web", "gpu", "yes"));

    assertThat(PlanRenderer.selects(selector, "web-1", WEB_PRODUCTION)).isFalse();
  }

  @Test
  void selects_emptyLabelValue_stillRequiresTheLabel() {
    HostSelector selector = labels(Map.of("canary", ""));

    assertThat(PlanRenderer.selects(selector, "web-1", WEB_PRODUCTION)).isFalse();
    assertThat(PlanRenderer.selects(selector, "web-1", facts(Map.of("canary", "")))).isTrue();
  }

  @Test
  void selects_hostIds_matchOnlyListedHostsThatAlsoHaveTheLabels() {
    HostSelector selector =
        labels(Map.of("role", "web")).toBuilder().addHostIds("web-1").addHostIds("web-3").build();

    assertThat(PlanRenderer.selects(selector, "web-1", WEB_PRODUCTION)).isTrue();
    assertThat(PlanRenderer.selects(selector, "web-2", WEB_PRODUCTION)).isFalse();
    assertThat(PlanRenderer.selects(selector, "web-3", facts(Map.of("role", "db")))).isFalse();
  }

  @Test
  void render_keepsMatchingRevisions_withTheirNumbersAndResources() {
    Revision shop = revision("shop", "production", 4, labels(Map.of("role", "web")), "v1");
    Revision worker =
        revision("shop-worker", "production", 2, labels(Map.of("role", "worker")), "x");

    HostPlan plan = renderer.render("web-1", WEB_PRODUCTION, List.of(shop, worker));

    assertThat(plan.getHostId()).isEqualTo("web-1");
    assertThat(plan.getAppsList())
        .containsExactly(
            AppPlan.newBuilder()
                .setApplication("shop")
                .setEnvironment("production")
                .setRevision(4)
                .addAllResources(shop.getManifest().getResourcesList())
                .build());
  }

  @Test
  void render_ordersAppsByApplicationThenEnvironment() {
    List<Revision> revisions =
        List.of(
            revision("shop", "staging", 1, HostSelector.getDefaultInstance(), "a"),
            revision("blog", "staging", 1, HostSelector.getDefaultInstance(), "a"),
            revision("shop", "production", 1, HostSelector.getDefaultInstance(), "a"),
            revision("blog", "production", 1, HostSelector.getDefaultInstance(), "a"));

    HostPlan plan = renderer.render("web-1", WEB_PRODUCTION, revisions);

    assertThat(plan.getAppsList())
        .extracting(app -> app.getApplication() + "/" + app.getEnvironment())
        .containsExactly("blog/production", "blog/staging", "shop/production", "shop/staging");
  }

  @Test
  void render_planId_isStableAcrossCallsAndInputOrder() {
    List<Revision> revisions = new ArrayList<>();
    for (String app : List.of("api", "blog", "docs", "shop", "wiki")) {
      revisions.add(revision(app, "production", 3, HostSelector.getDefaultInstance(), app));
    }
    String planId = renderer.render("web-1", WEB_PRODUCTION, revisions).getPlanId();

    Random random = new Random(42);
    for (int i = 0; i < 10; i++) {
      List<Revision> shuffled = new ArrayList<>(revisions);
      Collections.shuffle(shuffled, random);
      assertThat(renderer.render("web-1", WEB_PRODUCTION, shuffled).getPlanId()).isEqualTo(planId);
    }
    assertThat(planId).matches("[0-9a-f]{64}");
  }

  @Test
  void render_planId_changesWhenAResourceChanges() {
    HostSelector all = HostSelector.getDefaultInstance();
    String before =
        renderer
            .render("web-1", WEB_PRODUCTION, List.of(revision("shop", "prod", 1, all, "v1")))
            .getPlanId();
    String after =
        renderer
            .render("web-1", WEB_PRODUCTION, List.of(revision("shop", "prod", 1, all, "v2")))
            .getPlanId();

    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void render_planId_changesWhenOnlyTheRevisionNumberChanges() {
    HostSelector all = HostSelector.getDefaultInstance();
    String before =
        renderer
            .render("web-1", WEB_PRODUCTION, List.of(revision("shop", "prod", 1, all, "v1")))
            .getPlanId();
    String after =
        renderer
            .render("web-1", WEB_PRODUCTION, List.of(revision("shop", "prod", 2, all, "v1")))
            .getPlanId();

    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void render_planId_isEqualForTwoHostsWithTheSameMatchingContent() {
    List<Revision> revisions =
        List.of(
            revision("shop", "production", 1, labels(Map.of("role", "web")), "v1"),
            revision("shop-worker", "production", 1, labels(Map.of("role", "worker")), "v1"));

    HostPlan web1 = renderer.render("web-1", WEB_PRODUCTION, revisions);
    HostPlan web2 = renderer.render("web-2", facts(Map.of("role", "web")), revisions);
    HostPlan worker = renderer.render("worker-1", facts(Map.of("role", "worker")), revisions);

    assertThat(web2.getPlanId()).isEqualTo(web1.getPlanId());
    assertThat(worker.getPlanId()).isNotEqualTo(web1.getPlanId());
  }

  @Test
  void render_planId_doesNotDependOnMapInsertionOrder() {
    Resource forward = commandWithEnv(List.of("A", "B", "C"));
    Resource backward = commandWithEnv(List.of("C", "B", "A"));
    HostSelector all = HostSelector.getDefaultInstance();

    String first =
        renderer
            .render("web-1", WEB_PRODUCTION, List.of(revision("shop", "p", 1, all, forward)))
            .getPlanId();
    String second =
        renderer
            .render("web-1", WEB_PRODUCTION, List.of(revision("shop", "p", 1, all, backward)))
            .getPlanId();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void render_nothingMatches_givesAnEmptyPlanWithTheWellKnownId() {
    Revision elsewhere = revision("shop", "production", 1, labels(Map.of("role", "db")), "v1");

    HostPlan plan = renderer.render("web-1", WEB_PRODUCTION, List.of(elsewhere));

    assertThat(plan.getAppsList()).isEmpty();
    assertThat(plan.getPlanId()).isEqualTo(PlanRenderer.EMPTY_PLAN_ID);
    assertThat(renderer.render("web-1", WEB_PRODUCTION, List.of()).getPlanId())
        .isEqualTo(PlanRenderer.EMPTY_PLAN_ID);
  }

  @Test
  void render_twoRevisionsOfOneApplicationAndEnvironment_failsNamingThem() {
    HostSelector all = HostSelector.getDefaultInstance();
    List<Revision> revisions =
        List.of(revision("shop", "staging", 1, all, "a"), revision("shop", "staging", 2, all, "b"));

    assertThatThrownBy(() -> renderer.render("web-1", WEB_PRODUCTION, revisions))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop/staging");
  }

  @Test
  void render_emptyHostId_failsFast() {
    assertThatThrownBy(() -> renderer.render("", WEB_PRODUCTION, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host id");
  }

  private static HostFacts facts(Map<String, String> labels) {
    return HostFacts.newBuilder().setOsId("debian").setOsVersion("12").putAllLabels(labels).build();
  }

  private static HostSelector labels(Map<String, String> labels) {
    return HostSelector.newBuilder().putAllLabels(labels).build();
  }

  private static Revision revision(
      String application, String environment, long number, HostSelector hosts, String content) {
    Resource file =
        Resource.newBuilder()
            .setId("file:/etc/" + application + ".conf")
            .setFile(File.newBuilder().setPath("/etc/" + application + ".conf").setContent(content))
            .build();
    return revision(application, environment, number, hosts, file);
  }

  private static Revision revision(
      String application, String environment, long number, HostSelector hosts, Resource resource) {
    Manifest manifest =
        Manifest.newBuilder()
            .setApplication(application)
            .setEnvironment(environment)
            .setHosts(hosts)
            .addResources(resource)
            .build();
    return Revision.newBuilder()
        .setApplication(application)
        .setEnvironment(environment)
        .setNumber(number)
        .setManifest(manifest)
        .build();
  }

  private static Resource commandWithEnv(List<String> keysInInsertionOrder) {
    Command.Builder command = Command.newBuilder().addArgv("/usr/bin/true");
    for (String key : keysInInsertionOrder) {
      command.putEnv(key, "value-" + key);
    }
    return Resource.newBuilder().setId("command:/usr/bin/true").setCommand(command).build();
  }
}
