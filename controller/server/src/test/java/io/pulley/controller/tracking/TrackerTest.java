package io.pulley.controller.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.Events;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.manifest.RemoteRefs;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.revisions.ApplyResult;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.testing.ManualClock;
import io.pulley.testing.TestRepository;
import io.pulley.v1.AuditEvent;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionOrigin;
import io.pulley.v1.Rollout;
import io.pulley.v1.RolloutStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking against a real Git repository read with JGit's ls-remote: tags in version order,
 * pre-releases, a tag deleted and pushed again, a force-moved branch, quarantine, and the interval.
 */
class TrackerTest {
  @TempDir Path temp;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final CountingRemotes remotes = new CountingRemotes();
  private TestRepository repository;
  private InMemoryStore store;
  private RevisionLog revisions;
  private Tracker tracker;

  @BeforeEach
  void setUp() throws Exception {
    repository = TestRepository.create(temp.resolve("repo"));
    repository.commit("README", "first\n");
    store = new InMemoryStore();
    revisions =
        new RevisionLog(
            store,
            new ManifestCompiler(new JGitRefResolver()),
            clock,
            ControllerMetrics.discarding(),
            Events.NONE);
    tracker =
        new Tracker(revisions, remotes, store, new AuditTrail(store, clock), clock, new Random(7));
  }

  @AfterEach
  void tearDown() {
    repository.close();
  }

  @Test
  void tagsAreFollowedInVersionOrder_notInTheOrderTheyWerePushed_andPreReleasesOnlyWhenAsked()
      throws Exception {
    repository.annotatedTag("v1.9.0");
    apply("v1.9.0", "tags: \"v*\"");
    RevCommit second = repository.commit("README", "second\n");
    repository.annotatedTag("v1.10.0");
    repository.commit("README", "third\n");
    repository.annotatedTag("v1.2.0");
    repository.lightweightTag("v2.0.0-rc.1");

    tick();

    Revision current = current();
    assertThat(current.getOrigin()).isEqualTo(RevisionOrigin.REVISION_ORIGIN_TRACK);
    assertThat(current.getManifest().getStack().getGit().getRef()).isEqualTo("v1.10.0");
    assertThat(current.getManifest().getStack().getGit().getCommit()).isEqualTo(second.name());
    assertThat(current.getTrigger())
        .isEqualTo("tag v1.10.0 at " + second.name().substring(0, 12) + ", seen by polling");
    assertThat(current.getAppliedBy()).isEqualTo("tracker");

    apply("v1.10.0", "tags: \"v*\", prereleases: true");
    tick();
    assertThat(current().getManifest().getStack().getGit().getRef()).isEqualTo("v2.0.0-rc.1");
  }

  @Test
  void aTagDeletedAndPushedAgainAtAnotherCommit_isDeployedAgain_andADeletedOneIsNotReplaced()
      throws Exception {
    repository.annotatedTag("v1.0.0");
    repository.commit("README", "second\n");
    repository.annotatedTag("v1.1.0");
    apply("v1.0.0", "tags: \"v*\"");
    tick();
    assertThat(current().getManifest().getStack().getGit().getRef()).isEqualTo("v1.1.0");
    long number = current().getNumber();

    repository.deleteTag("v1.1.0");
    tick();
    assertThat(current().getNumber())
        .as("a tag deleted: nothing older is deployed")
        .isEqualTo(number);

    RevCommit fixed = repository.commit("README", "fixed\n");
    repository.annotatedTag("v1.1.0");
    tick();
    assertThat(current().getManifest().getStack().getGit().getCommit()).isEqualTo(fixed.name());
    assertThat(current().getTrigger())
        .startsWith("tag v1.1.0 moved to " + fixed.name().substring(0, 12));
  }

  @Test
  void aForceMovedBranch_isFollowedToItsNewHead() throws Exception {
    RevCommit first = repository.commit("README", "base\n");
    repository.commit("README", "bad\n");
    apply("main", "branch: main");
    RevCommit rewritten;
    repository.resetHard(first.name());
    rewritten = repository.commit("README", "rewritten\n");

    tick();

    assertThat(current().getManifest().getStack().getGit().getCommit()).isEqualTo(rewritten.name());
    assertThat(current().getTrigger())
        .isEqualTo(
            "branch main moved to " + rewritten.name().substring(0, 12) + ", seen by polling");
  }

  @Test
  void aHaltedRelease_isQuarantined_untilANewerTagAppears() throws Exception {
    repository.annotatedTag("v1.0.0");
    apply("v1.0.0", "tags: \"v*\"");
    repository.commit("README", "broken\n");
    repository.annotatedTag("v1.1.0");
    tick();
    Revision broken = current();
    tracker.halted(
        Rollout.newBuilder()
            .setApplication("shop")
            .setEnvironment("production")
            .setRevision(broken.getNumber())
            .setStatus(RolloutStatus.ROLLOUT_STATUS_HALTED)
            .setReason("host web-1 failed: handover: no healthy answer")
            .build());
    revisions.rollback(new AppEnv("shop", "production"), 1, "ann@laptop");
    long afterRollback = current().getNumber();

    tick();
    assertThat(current().getNumber()).as("v1.1.0 is not retried").isEqualTo(afterRollback);
    assertThat(store.events(new AppEnv("shop", "production"), 10))
        .extracting(AuditEvent::getDetail)
        .anyMatch(
            d -> d.startsWith("v1.1.0 at ") && d.contains("is quarantined: its rollout halted"));

    repository.commit("README", "good\n");
    repository.annotatedTag("v1.2.0");
    tick();
    assertThat(current().getManifest().getStack().getGit().getRef()).isEqualTo("v1.2.0");
  }

  @Test
  void theRemoteIsReadOnItsInterval_orAtOnceWhenAWebhookNoticesAPush() throws Exception {
    repository.annotatedTag("v1.0.0");
    apply("v1.0.0", "tags: \"v*\", interval_seconds: 30");
    tick();
    assertThat(remotes.reads).isEqualTo(1);
    clock.advance(Duration.ofSeconds(20));
    tracker.tick();
    assertThat(remotes.reads).as("within the interval (30 s, jittered by 3 s)").isEqualTo(1);

    assertThat(tracker.notice(new AppEnv("shop", "production"), "the GitHub webhook")).isTrue();
    tracker.tick();
    assertThat(remotes.reads).isEqualTo(2);
    clock.advance(Duration.ofSeconds(34));
    tracker.tick();
    assertThat(remotes.reads).isEqualTo(3);
    assertThat(tracker.notice(new AppEnv("blog", "production"), "the GitHub webhook")).isFalse();
  }

  @Test
  void anApplyThatShortensTheIntervalCountsFromTheLastRead_notFromTheLongWaitItHadDrawn()
      throws Exception {
    repository.annotatedTag("v1.0.0");
    apply("v1.0.0", "tags: \"v*\", interval_seconds: 3600");
    tick();
    assertThat(remotes.reads).isEqualTo(1);
    apply("v1.0.0", "tags: \"v*\", interval_seconds: 5");
    clock.advance(Duration.ofSeconds(4));
    tracker.tick();
    assertThat(remotes.reads).as("within 5 s less a tenth").isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    tracker.tick();
    assertThat(remotes.reads).as("5 s (jittered by 0.5 s) after the last read").isEqualTo(2);
  }

  private void apply(String ref, String track) {
    String yaml =
        """
        application: shop
        environment: production
        track: {%s}
        stack:
          git: {url: "%s", ref: "%s"}
          web: {wsgi: app.wsgi}
          site: {domains: [shop.example.com]}
        """
            .formatted(track, repository.url(), ref);
    ApplyResult result = revisions.apply(yaml, "shop.yaml", false, "ann@laptop");
    assertThat(result).as(result.toString()).isInstanceOf(ApplyResult.Accepted.class);
  }

  private void tick() {
    clock.advance(Duration.ofMinutes(5));
    tracker.tick();
  }

  private Revision current() {
    return revisions.get(new AppEnv("shop", "production"), 0).orElseThrow();
  }

  /** The real ls-remote, counted. */
  private static final class CountingRemotes implements RemoteRefs {
    private final JGitRefResolver jgit = new JGitRefResolver();
    int reads;

    @Override
    public Map<String, String> list(String url) throws IOException {
      reads++;
      return jgit.list(url);
    }
  }
}
