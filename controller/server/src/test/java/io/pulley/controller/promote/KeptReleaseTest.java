package io.pulley.controller.promote;

import static io.pulley.controller.promote.PromotionBench.PRODUCTION;
import static io.pulley.controller.promote.PromotionBench.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.revisions.ApplyResult;
import io.pulley.v1.Revision;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An apply of production's manifest with a promote rule keeps the release production was promoted
 * to: its YAML's branch is not resolved again to a commit staging has not proven.
 */
class KeptReleaseTest {
  private static final String RULE = "promote: {from: staging, healthy_seconds: 600}\n";

  @TempDir Path temp;
  private PromotionBench bench;
  private RevCommit first;

  @BeforeEach
  void setUp() throws Exception {
    bench = new PromotionBench(temp.resolve("repo"));
    first = bench.repository.commit("app.py", "one\n");
    bench.applyStaging("main", "");
    bench.applyProduction("main", RULE);
    bench.stagingRuns("stage-1", 1);
    bench.promotions.promote(STAGING, PRODUCTION, false, "ann", "");
  }

  @AfterEach
  void tearDown() {
    bench.close();
  }

  @Test
  void anApplyWithThePromoteRule_keepsThePromotedCommitAndCode_andTakesTheRestFromItsYaml()
      throws Exception {
    RevCommit unproven = bench.repository.commit("app.py", "two\n");

    ApplyResult.Accepted applied =
        (ApplyResult.Accepted)
            bench.revisions.apply(
                production("main", RULE).replace("processes: 8", "processes: 12"),
                "shop.yaml",
                false,
                "ann@laptop");

    Revision stored = applied.revision().orElseThrow();
    assertThat(stored.getNumber()).isEqualTo(3);
    assertThat(stored.getManifest().getStack().getGit().getCommit())
        .isEqualTo(first.name())
        .isNotEqualTo(unproven.name());
    assertThat(stored.getManifest().getStack().getWeb().getWsgi()).isEqualTo("shop.wsgi");
    assertThat(stored.getManifest().getStack().getWeb().getProcesses()).isEqualTo(12);
    assertThat(stored.getPromotedFrom().getRevision()).isEqualTo(1);
    assertThat(applied.notices())
        .anyMatch(n -> n.startsWith("kept the release promoted from staging revision 1 (main at"));

    // Applied again, the same manifest is the same revision.
    ApplyResult.Accepted again =
        (ApplyResult.Accepted)
            bench.revisions.apply(
                production("main", RULE).replace("processes: 8", "processes: 12"),
                "shop.yaml",
                false,
                "ann@laptop");
    assertThat(again.changed()).isFalse();
  }

  @Test
  void withoutThePromoteRule_theYamlsRefIsDeployed_andARollbackToAPromotedRevisionIsKeptAgain()
      throws Exception {
    RevCommit newer = bench.repository.commit("app.py", "two\n");

    Revision withoutRule = bench.apply(production("main", ""));
    assertThat(withoutRule.getManifest().getStack().getGit().getCommit()).isEqualTo(newer.name());
    assertThat(withoutRule.hasPromotedFrom()).isFalse();

    bench.revisions.rollback(PRODUCTION, 2, "ann@laptop");
    Revision kept = bench.apply(production("main", RULE).replace("processes: 8", "processes: 4"));
    assertThat(kept.getManifest().getStack().getGit().getCommit())
        .as("a rollback to a promoted revision runs a promoted release too")
        .isEqualTo(first.name());
    assertThat(kept.getPromotedFrom().getEnvironment()).isEqualTo("staging");
  }

  private String production(String ref, String rule) {
    return bench.applyProductionYaml(ref, rule);
  }
}
