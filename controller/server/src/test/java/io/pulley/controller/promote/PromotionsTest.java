package io.pulley.controller.promote;

import static io.pulley.controller.promote.PromotionBench.PRODUCTION;
import static io.pulley.controller.promote.PromotionBench.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.AuditEvent;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutStatus;
import io.pulley.v1.Stack;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pulley promote` against a real Git repository and real revisions: production gets the commit
 * staging's hosts run, healthy — never the newer head of staging's branch — with staging's
 * code-side settings and its own environment-side ones.
 */
class PromotionsTest {
  @TempDir Path temp;
  private PromotionBench bench;
  private RevCommit first;

  @BeforeEach
  void setUp() throws Exception {
    bench = new PromotionBench(temp.resolve("repo"));
    first = bench.repository.commit("app.py", "one\n");
  }

  @AfterEach
  void tearDown() {
    bench.close();
  }

  @Test
  void promote_givesProductionTheCommitStagingRunsHealthy_notTheNewerHeadOfItsBranch()
      throws Exception {
    bench.applyStaging("main", "");
    bench.applyProduction(first.name(), "");
    bench.stagingRuns("stage-1", 1);
    // A newer commit is pushed and staging stores it, but its host still runs revision 1.
    RevCommit newer = bench.repository.commit("app.py", "two\n");
    bench.applyStaging("main", "  shared_dirs: [uploads]\n");
    assertThat(bench.current(STAGING).getManifest().getStack().getGit().getCommit())
        .isEqualTo(newer.name());

    PromoteResult result = bench.promotions.promote(STAGING, PRODUCTION, false, "ann", "");

    Revision promoted = promoted(result).revision();
    assertThat(bench.current(PRODUCTION)).isEqualTo(promoted);
    Stack stack = promoted.getManifest().getStack();
    assertThat(stack.getGit().getCommit()).isEqualTo(first.name()).isNotEqualTo(newer.name());
    assertThat(stack.getGit().getRef()).isEqualTo("main");
    assertThat(promoted.getOrigin()).isEqualTo(RevisionOrigin.REVISION_ORIGIN_PROMOTE);
    assertThat(promoted.getPromotedFrom().getEnvironment()).isEqualTo("staging");
    assertThat(promoted.getPromotedFrom().getRevision()).isEqualTo(1);
    assertThat(promoted.getTrigger())
        .isEqualTo("from staging r1 at main " + first.name().substring(0, 12));
    // Code-side settings are staging's revision 1's (not revision 2's shared_dirs) …
    assertThat(stack.getWeb().getWsgi()).isEqualTo("shop.wsgi");
    assertThat(stack.getPackagesList()).containsExactly("libxml2");
    assertThat(stack.getCommandsList()).singleElement().matches(c -> c.getName().equals("migrate"));
    assertThat(stack.getSharedDirsList()).isEmpty();
    // … and environment-side ones production's.
    assertThat(stack.getWeb().getProcesses()).isEqualTo(8);
    assertThat(stack.getSite().getDomainsList()).containsExactly("shop.example.com");
    assertThat(promoted.getManifest().getHosts().getLabelsMap()).containsEntry("role", "web");
    // Production's YAML stays the source its next promotion or tracking compiles.
    assertThat(promoted.getSourceYaml()).contains("old.wsgi");
    assertThat(bench.store.events(STAGING, 10))
        .extracting(AuditEvent::getDetail)
        .anyMatch(d -> d.contains("promoted to shop/production as revision 2"));
  }

  @Test
  void promotingAgain_changesNothing_andADryRunStoresNothing() {
    bench.applyStaging("main", "");
    bench.applyProduction(first.name(), "");
    bench.stagingRuns("stage-1", 1);

    PromoteResult.Promoted dry =
        promoted(bench.promotions.promote(STAGING, PRODUCTION, true, "ann", ""));
    assertThat(dry.changed()).isTrue();
    assertThat(dry.diff()).contains("old.wsgi").contains("shop.wsgi");
    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(1);

    bench.promotions.promote(STAGING, PRODUCTION, false, "ann", "");
    PromoteResult.Promoted again =
        promoted(bench.promotions.promote(STAGING, PRODUCTION, false, "ann", ""));
    assertThat(again.changed()).isFalse();
    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(2);
  }

  @Test
  void stagingThatIsNotLiveAndHealthyEverywhere_isRefusedWithTheReason() {
    bench.applyStaging("main", "");
    bench.applyProduction(first.name(), "");
    assertThat(refusal()).isEqualTo("nothing to promote: no host of shop/staging is online");

    bench.stagingRuns("stage-1", 1);
    bench.reports("stage-2", "staging", STAGING, 1, false);
    assertThat(refusal())
        .isEqualTo(
            "nothing to promote: shop/staging is not live and healthy on every host: stage-2 has"
                + " applied no revision of shop/staging yet");

    bench.stagingRuns("stage-2", 1);
    bench.reports("stage-1", "staging", STAGING, 2, false);
    assertThat(refusal()).contains("stage-1 is not healthy (its last apply failed)");

    bench.stagingRuns("stage-1", 1);
    bench.rollouts.put(
        STAGING,
        Rollout.newBuilder()
            .setApplication("shop")
            .setEnvironment("staging")
            .setRevision(1)
            .setStatus(RolloutStatus.ROLLOUT_STATUS_RUNNING)
            .build());
    assertThat(refusal())
        .isEqualTo(
            "nothing to promote: the rollout of shop/staging revision 1 has not succeeded yet"
                + " (running)");

    bench.rollouts.clear();
    // A host gone silent for longer than three poll holds is left out; the others count.
    bench.clock.advance(Duration.ofMinutes(2));
    bench.stagingRuns("stage-1", 1);
    bench.clock.advance(Duration.ofMinutes(2));
    assertThat(bench.promotions.live(STAGING))
        .isEqualTo(new LiveRelease.Healthy(1, java.util.List.of("stage-1")));
    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(1);
  }

  @Test
  void environmentsOfDifferentRepositories_orWithoutRevisions_areRefused() throws Exception {
    bench.applyStaging("main", "");
    assertThat(bench.promotions.promote(STAGING, PRODUCTION, false, "ann", ""))
        .isInstanceOf(PromoteResult.NotFound.class);
    try (var other = io.pulley.testing.TestRepository.create(temp.resolve("other"))) {
      other.commit("README", "other\n");
      bench.apply(
          """
          application: shop
          environment: production
          hosts: {labels: {role: web}}
          stack:
            git: {url: "%s", ref: main}
            web: {wsgi: shop.wsgi}
            site: {domains: [shop.example.com]}
          """
              .formatted(other.url()));
      bench.stagingRuns("stage-1", 1);
      assertThat(refusal()).contains("a promotion moves a commit between environments of one");
    }
  }

  @Test
  void anEnvironmentThatTracksItsRemote_isNotPromotedTo() {
    bench.applyStaging("main", "");
    bench.applyProduction(first.name(), "track: {branch: main}\n");
    bench.stagingRuns("stage-1", 1);

    assertThat(refusal()).startsWith("shop/production follows its Git remote (track)");
    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(1);
  }

  @Test
  void aReleaseQuarantinedInProduction_isPromotedWhenAsked_withANotice() {
    bench.applyStaging("main", "");
    bench.applyProduction(first.name(), "");
    bench.stagingRuns("stage-1", 1);
    bench.promotions.promote(STAGING, PRODUCTION, false, "ann", "");
    bench.revisions.rollback(PRODUCTION, 1, "ann");

    PromoteResult.Promoted again =
        promoted(bench.promotions.promote(STAGING, PRODUCTION, false, "ann", ""));

    assertThat(again.changed()).isTrue();
    assertThat(again.notices()).singleElement().asString().contains("was quarantined in");
  }

  private static PromoteResult.Promoted promoted(PromoteResult result) {
    assertThat(result).as(result.toString()).isInstanceOf(PromoteResult.Promoted.class);
    return (PromoteResult.Promoted) result;
  }

  private String refusal() {
    PromoteResult result = bench.promotions.promote(STAGING, PRODUCTION, false, "ann", "");
    assertThat(result).isInstanceOf(PromoteResult.Refused.class);
    return ((PromoteResult.Refused) result).reason();
  }
}
