package io.pulley.packaging.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three pristine servers running the sample site, one controller tracking the sample's tags with a
 * rollout policy: a pushed tag reaches the canary, then the other two; a broken tag fails on the
 * canary, halts the rollout and is quarantined while the other two never change; a newer good tag
 * goes out again.
 */
class RolloutIT {
  private static final Duration WARM = Duration.ofMinutes(6);
  private static final String DELIVERY =
      """
      track: {tags: "v*", interval_seconds: 5}
      rollout: {canary: 1, bake_seconds: 5, host_timeout_seconds: 600}
      """;

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
      // Tracking reads the remote every 5 s and does not retry the quarantined tag.
      Thread.sleep(15_000);
      assertThat(controller.pulley("revision", "shop", "production").out())
          .contains("shop/production revision 4,");

      fleet.release("1.3.0", "v1.3.0");
      fleet.awaitRollout(5, "succeeded", WARM);
      assertThat(fleet.versions()).containsExactly("1.3.0", "1.3.0", "1.3.0");
    }
  }
}
