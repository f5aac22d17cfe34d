package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.DebianImage;
import io.pulley.packaging.harness.PristineServer;
import io.pulley.packaging.harness.ServerFleet;
import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three pristine servers running the sample site, one controller tracking the sample's tags with a
 * rollout policy: a pushed tag reaches the canary, then the other two; a broken tag fails on the
 * canary, halts the rollout and is quarantined while the other two never change; a newer good tag
 * goes out again.
 */
class RolloutIT {
  private static final Duration COLD = Duration.ofMinutes(20);
  private static final Duration WARM = Duration.ofMinutes(6);
  private static final List<String> HOSTS = List.of("web-1", "web-2", "web-3");
  private static final String DELIVERY =
      """
      track: {tags: "v*", interval_seconds: 5}
      rollout: {canary: 1, bake_seconds: 5, host_timeout_seconds: 600}
      """;

  @TempDir Path work;

  @Test
  void tagsRollOutCanaryFirst_aBrokenTagHaltsOnTheCanary_andANewerTagGoesOut() throws Exception {
    try (ServerFleet fleet = ServerFleet.boot(DebianImage.bookworm(), 3);
        HostController controller = HostController.start(TestNetwork.HOST_ADDRESS, work);
        SampleRepository repository =
            SampleRepository.seededFrom(
                Artifacts.sampleApplication(), work.resolve("git"), TestNetwork.HOST_ADDRESS)) {
      for (int i = 0; i < HOSTS.size(); i++) {
        PristineServer server = fleet.servers().get(i);
        AgentOnServer.install(server, Artifacts.agentDeb()).orThrow();
        AgentOnServer.enrollForStacks(server, controller.address(), HOSTS.get(i), "web");
      }
      release(repository, "1.0.0", "v1.0.0");

      // Every server set up at once, without a policy; then the policy, rolled out as revision 2.
      apply(controller, SampleStackManifest.production(work, repository.url(), "v1.0.0"));
      awaitEveryHostOn(controller, 1, COLD);
      apply(controller, SampleStackManifest.delivered(work, repository.url(), "v1.0.0", DELIVERY));
      awaitRollout(controller, 2, "succeeded", WARM);

      release(repository, "1.1.0", "v1.1.0");
      awaitRollout(controller, 3, "succeeded", WARM);
      assertThat(versions(fleet)).containsExactly("1.1.0", "1.1.0", "1.1.0");
      String trail =
          controller.pulley("history", "shop", "production", "--events", "--limit", "200").out();
      // Newest first: the canary was live before the next batch started.
      assertThat(trail.indexOf("host web-2 deploys revision 3"))
          .isLessThan(trail.indexOf("host web-1 is live on revision 3"));
      assertThat(controller.pulley("history", "shop", "production").out())
          .contains("track: tag v1.1.0 at ");

      brokenRelease(repository, "v1.2.0");
      awaitRollout(controller, 4, "halted", WARM);
      HostController.Cli halted = controller.pulley("rollout", "status", "shop", "production");
      assertThat(halted.out())
          .containsPattern("(?m)^canary +web-1 +failed \\(on #3\\)")
          .containsPattern("(?m)^2 +web-2 +waiting \\(on #3\\)")
          .containsPattern("(?m)^2 +web-3 +waiting \\(on #3\\)");
      assertThat(versions(fleet)).containsExactly("1.1.0", "1.1.0", "1.1.0");
      String afterHalt =
          controller.pulley("history", "shop", "production", "--events", "--limit", "200").out();
      assertThat(afterHalt)
          .contains("v1.2.0 at ")
          .contains("is quarantined: its rollout halted")
          .doesNotContain("host web-2 deploys revision 4")
          .doesNotContain("host web-3 deploys revision 4");
      // Tracking reads the remote every 5 s and does not retry the quarantined tag.
      Thread.sleep(15_000);
      assertThat(controller.pulley("revision", "shop", "production").out())
          .contains("shop/production revision 4,");

      release(repository, "1.3.0", "v1.3.0");
      awaitRollout(controller, 5, "succeeded", WARM);
      assertThat(versions(fleet)).containsExactly("1.3.0", "1.3.0", "1.3.0");
    }
  }

  /** Tags a healthy release of {@code version}, committing it first unless the head is one. */
  private static void release(SampleRepository repository, String version, String tag)
      throws Exception {
    String views =
        repository
            .read("pulley_sample/views.py")
            .replace(
                "    return Response(\"broken\", status=503, content_type=\"text/plain\")",
                "    return Response(\"ok\", content_type=\"text/plain\")");
    boolean same =
        repository.read("pulley_sample/VERSION").strip().equals(version)
            && repository.read("pulley_sample/views.py").equals(views);
    if (!same) {
      repository.commit(
          Map.of("pulley_sample/VERSION", version + "\n", "pulley_sample/views.py", views),
          "version " + version);
    }
    repository.tag(tag);
  }

  // Healthy on its own socket is not enough: its /health answers 503, so the handover refuses it.
  private static void brokenRelease(SampleRepository repository, String tag) throws Exception {
    repository.commit(
        Map.of(
            "pulley_sample/VERSION",
            "9.9.9\n",
            "pulley_sample/views.py",
            repository
                .read("pulley_sample/views.py")
                .replace(
                    "    return Response(\"ok\", content_type=\"text/plain\")",
                    "    return Response(\"broken\", status=503, content_type=\"text/plain\")")),
        "a broken release");
    repository.tag(tag);
  }

  private static void apply(HostController controller, Path manifest) throws Exception {
    HostController.Cli apply = controller.pulley("apply", "-f", manifest.toString());
    assertThat(apply.exitCode()).as(apply.toString()).isZero();
  }

  private static void awaitEveryHostOn(HostController controller, int revision, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                controller
                        .pulley("status")
                        .out()
                        .lines()
                        .filter(l -> l.contains("shop/production#" + revision))
                        .filter(l -> l.contains("healthy"))
                        .count()
                    == HOSTS.size());
  }

  private static void awaitRollout(
      HostController controller, int revision, String status, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                controller
                    .pulley("rollout", "status", "shop", "production")
                    .out()
                    .contains("shop/production revision " + revision + ": " + status));
  }

  private static List<String> versions(ServerFleet fleet) throws Exception {
    List<String> versions = new java.util.ArrayList<>();
    for (PristineServer server : fleet.servers()) {
      versions.add(
          new SiteClient(server.address(), 80, "shop.example.test").get("/").header("X-Version"));
    }
    return versions;
  }
}
