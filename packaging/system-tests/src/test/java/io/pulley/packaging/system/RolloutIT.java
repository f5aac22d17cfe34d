package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulley.packaging.harness.TestNetwork;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three pristine servers running the sample site, one controller tracking the sample's tags with a
 * rollout policy: a pushed tag reaches the canary, then the other two; a broken tag fails on the
 * canary, halts the rollout and is quarantined while the other two never change; a newer good tag
 * goes out again. Then a staging copy on the first server follows main, and production is promoted
 * from it: by hand, getting the commit staging ran healthy and not the one pushed right after; then
 * by its rule, once staging has run the newer one healthy for a while.
 */
class RolloutIT {
  private static final Duration WARM = Duration.ofMinutes(6);
  private static final String DELIVERY_ROLLOUT =
      "rollout: {canary: 1, bake_seconds: 5, host_timeout_seconds: 600}\n";
  private static final String DELIVERY =
      "track: {tags: \"v*\", interval_seconds: 5}\n" + DELIVERY_ROLLOUT;

  @TempDir Path work;

  @Test
  void tagsRollOutCanaryFirst_aBrokenTagHaltsOnTheCanary_andANewerTagGoesOut() throws Exception {
    try (TrackedFleet fleet = TrackedFleet.start(work, 3)) {
      HostController controller = fleet.controller();
      // Every server was set up at once, without a policy; the policy is rolled out as revision 2.
      fleet.applyDelivered("v1.0.0", DELIVERY);
      fleet.awaitRollout(2, "succeeded", WARM);

      fleet.release("1.1.0", "v1.1.0");
      fleet.awaitRollout(3, "succeeded", WARM);
      assertThat(fleet.versions()).containsExactly("1.1.0", "1.1.0", "1.1.0");
      String trail =
          controller.pulley("history", "shop", "production", "--events", "--limit", "200").out();
      // Newest first: the canary was live before the next batch started.
      assertThat(trail.indexOf("host web-2 deploys revision 3"))
          .isLessThan(trail.indexOf("host web-1 is live on revision 3"));
      assertThat(controller.pulley("history", "shop", "production").out())
          .contains("track: tag v1.1.0 at ");

      fleet.brokenRelease("9.9.9", "v1.2.0");
      fleet.awaitRollout(4, "halted", WARM);
      assertThat(fleet.rolloutStatus())
          .containsPattern("(?m)^canary +web-1 +failed \\(on #3\\)")
          .containsPattern("(?m)^2 +web-2 +waiting \\(on #3\\)")
          .containsPattern("(?m)^2 +web-3 +waiting \\(on #3\\)");
      assertThat(fleet.versions()).containsExactly("1.1.0", "1.1.0", "1.1.0");
      String afterHalt =
          controller.pulley("history", "shop", "production", "--events", "--limit", "200").out();
      assertThat(afterHalt)
          .contains("v1.2.0 at ")
          .contains("is quarantined: its rollout halted")
          .doesNotContain("host web-2 deploys revision 4")
          .doesNotContain("host web-3 deploys revision 4");
      assertThat(controller.pulley("history", "shop", "production").out())
          .containsPattern("(?m)^4 .*halted");
      // Tracking reads the remote every 5 s and does not retry the quarantined tag: the
      // controller (on the host's address) reads the refs twice more, and still no revision 5.
      int reads = fleet.repository().refReadsFrom(TestNetwork.HOST_ADDRESS);
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fleet.repository().refReadsFrom(TestNetwork.HOST_ADDRESS) >= reads + 2);
      assertThat(controller.pulley("revision", "shop", "production").out())
          .contains("shop/production revision 4,");

      fleet.release("1.3.0", "v1.3.0");
      fleet.awaitRollout(5, "succeeded", WARM);
      assertThat(fleet.versions()).containsExactly("1.3.0", "1.3.0", "1.3.0");

      promotesStagingsHealthyCommit_neverANewerOne(fleet);
    }
  }

  /**
   * Staging on web-1 follows main; production (web-1 to web-3) is promoted from it, by hand and
   * then by its rule: it gets the commit staging ran healthy, not the one pushed meanwhile.
   */
  private void promotesStagingsHealthyCommit_neverANewerOne(TrackedFleet fleet) throws Exception {
    HostController controller = fleet.controller();
    StagingPromotion staging = new StagingPromotion(fleet, work);
    staging.apply();
    staging.awaitStagingOn(1, WARM);
    // Production's releases now come from staging; an hour keeps the rule out of the manual part.
    staging.applyProduction(
        "v1.3.0", "promote: {from: staging, healthy_seconds: 3600}\n" + DELIVERY_ROLLOUT);
    fleet.awaitRollout(6, "succeeded", WARM);

    String healthy = staging.push("1.4.0");
    staging.awaitStagingOn(2, WARM);
    assertThat(staging.stagingVersion()).isEqualTo("1.4.0");
    HostController.Cli promote = controller.pulley("promote", "shop", "staging", "production");
    String newer = staging.push("1.5.0");

    assertThat(promote.exitCode()).as(promote.toString()).isZero();
    assertThat(promote.out())
        .contains(
            "promoted: shop/staging revision 2 at "
                + healthy.substring(0, 12)
                + " is shop/production revision 7");
    fleet.awaitRollout(7, "succeeded", WARM);
    staging.awaitStagingOn(3, WARM);
    assertThat(staging.stagingVersion()).isEqualTo("1.5.0");
    assertThat(fleet.versions()).containsExactly("1.4.0", "1.4.0", "1.4.0");
    assertThat(staging.productionCommit()).isEqualTo(healthy).isNotEqualTo(newer);
    assertThat(controller.pulley("history", "shop", "production").out())
        .contains("promote: from staging r2 at main " + healthy.substring(0, 12));

    // By the rule: the apply keeps the release production was promoted to (its YAML names that
    // commit too), and staging's 1.5.0 is promoted once it has run healthy for 20 s.
    staging.applyProduction(
        healthy, "promote: {from: staging, healthy_seconds: 20}\n" + DELIVERY_ROLLOUT);
    fleet.awaitRollout(9, "succeeded", WARM);
    assertThat(fleet.versions()).containsExactly("1.5.0", "1.5.0", "1.5.0");
    assertThat(staging.productionCommit()).isEqualTo(newer);
    assertThat(controller.pulley("history", "shop", "production").out())
        .containsPattern(
            "(?m)^9 .* promoter .*promote: from staging r3 at main " + newer.substring(0, 12));
  }
}
