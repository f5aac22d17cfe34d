package io.pulley.controller.promote;

import static io.pulley.controller.promote.PromotionBench.PRODUCTION;
import static io.pulley.controller.promote.PromotionBench.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.AuditEvent;
import io.pulley.v1.RevisionOrigin;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's {@code promote} rule, with time moved by hand: a release is promoted once staging
 * has run it, healthy, for the whole time without a break; a release production rolled back from is
 * not promoted again, the next one is.
 */
class PromoterTest {
  private static final String RULE = "promote: {from: staging, healthy_seconds: 600}\n";

  @TempDir Path temp;
  private PromotionBench bench;
  private Promoter promoter;
  private RevCommit first;

  @BeforeEach
  void setUp() throws Exception {
    bench = new PromotionBench(temp.resolve("repo"));
    first = bench.repository.commit("app.py", "one\n");
    promoter =
        new Promoter(bench.revisions, bench.promotions, bench.store, bench.audit, bench.clock);
    bench.applyStaging("main", "");
    bench.applyProduction(first.name(), RULE);
  }

  @AfterEach
  void tearDown() {
    bench.close();
  }

  @Test
  void aReleaseIsPromoted_onlyAfterStagingRanItHealthyForTheWholeTime() {
    bench.stagingRuns("stage-1", 1);
    passes(Duration.ofSeconds(300));
    // A failed apply breaks the healthy time: it counts again from when the host is healthy.
    bench.reports("stage-1", "staging", STAGING, 1, false);
    passes(Duration.ofSeconds(1));
    bench.stagingRuns("stage-1", 1);
    passes(Duration.ofSeconds(599));
    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(1);

    passes(Duration.ofSeconds(2));

    assertThat(bench.current(PRODUCTION).getOrigin())
        .isEqualTo(RevisionOrigin.REVISION_ORIGIN_PROMOTE);
    assertThat(bench.current(PRODUCTION).getAppliedBy()).isEqualTo("promoter");
    assertThat(bench.current(PRODUCTION).getTrigger()).endsWith(", healthy there for 600 s");
    assertThat(bench.current(PRODUCTION).getManifest().getStack().getWeb().getWsgi())
        .isEqualTo("shop.wsgi");
    passes(Duration.ofSeconds(60));
    assertThat(bench.current(PRODUCTION).getNumber()).as("promoted once").isEqualTo(2);
  }

  @Test
  void aNewStagingRevision_restartsTheHealthyTime() throws Exception {
    bench.stagingRuns("stage-1", 1);
    passes(Duration.ofSeconds(500));
    bench.repository.commit("app.py", "two\n");
    bench.applyStaging("main", "");
    bench.stagingRuns("stage-1", 2);
    passes(Duration.ofSeconds(500));
    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(1);

    passes(Duration.ofSeconds(101));

    assertThat(bench.current(PRODUCTION).getPromotedFrom().getRevision()).isEqualTo(2);
  }

  @Test
  void aRollbackAwayFromAPromotedRelease_isNotUndone_butTheNextReleaseIsPromoted()
      throws Exception {
    bench.stagingRuns("stage-1", 1);
    passes(Duration.ofSeconds(601));
    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(2);

    bench.revisions.rollback(PRODUCTION, 1, "ann@laptop");
    passes(Duration.ofSeconds(1200));
    assertThat(bench.current(PRODUCTION).getNumber()).as("the rollback stays").isEqualTo(3);
    assertThat(bench.store.events(PRODUCTION, 20))
        .extracting(AuditEvent::getDetail)
        .anyMatch(d -> d.contains("is quarantined: an admin rolled it back"));

    RevCommit fixed = bench.repository.commit("app.py", "fixed\n");
    bench.applyStaging("main", "");
    bench.stagingRuns("stage-1", 2);
    passes(Duration.ofSeconds(601));

    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(4);
    assertThat(bench.current(PRODUCTION).getManifest().getStack().getGit().getCommit())
        .isEqualTo(fixed.name());
  }

  @Test
  void aPromotionThatDoesNotCompile_isReportedOnce() {
    // Staging's code moved to Django; production's manifest does not say its settings module.
    bench.applyStaging("main", "  django: {settings: shop.settings}\n");
    bench.stagingRuns("stage-1", 2);
    passes(Duration.ofSeconds(601));
    passes(Duration.ofSeconds(60));

    assertThat(bench.store.events(PRODUCTION, 20))
        .extracting(AuditEvent::getDetail)
        .filteredOn(d -> d.startsWith("cannot promote shop/staging revision 2"))
        .hasSize(1);
    assertThat(bench.current(PRODUCTION).getNumber()).isEqualTo(1);
  }

  /** Time passes a second at a time, with a tick each, as the controller's timer ticks. */
  private void passes(Duration duration) {
    for (long second = 0; second < duration.toSeconds(); second++) {
      bench.clock.advance(Duration.ofSeconds(1));
      // Hosts poll about once a minute; a poll keeps them online.
      bench.polls("stage-1");
      promoter.tick();
    }
  }
}
