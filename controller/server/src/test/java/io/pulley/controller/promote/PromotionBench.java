package io.pulley.controller.promote;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.audit.AuditTrail;
import io.pulley.controller.events.ControllerEvent;
import io.pulley.controller.hosts.HostRegistry;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.manifest.JGitRefResolver;
import io.pulley.controller.manifest.ManifestCompiler;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.revisions.ApplyResult;
import io.pulley.controller.revisions.RevisionLog;
import io.pulley.controller.rollout.RegistryFleet;
import io.pulley.controller.store.InMemoryStore;
import io.pulley.controller.tracking.Tracker;
import io.pulley.testing.ManualClock;
import io.pulley.testing.TestRepository;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostHealth;
import io.pulley.v1.PollRequest;
import io.pulley.v1.Revision;
import io.pulley.v1.RevisionRef;
import io.pulley.v1.Rollout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * What the promotion tests share: a real revision log on an in-memory store, a real Git repository,
 * the host registry fed with the polls and reports agents send, and the tracker's quarantine wired
 * to stored revisions as the controller wires it. Time moves by hand.
 */
final class PromotionBench implements AutoCloseable {
  static final AppEnv STAGING = new AppEnv("shop", "staging");
  static final AppEnv PRODUCTION = new AppEnv("shop", "production");

  final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:00Z"));
  final InMemoryStore store = new InMemoryStore();
  final AuditTrail audit = new AuditTrail(store, clock);
  final HostRegistry hosts = new HostRegistry(store, clock);
  final Map<AppEnv, Rollout> rollouts = new HashMap<>();
  final TestRepository repository;
  final RevisionLog revisions;
  final Promotions promotions;
  private Tracker tracker;

  PromotionBench(Path dir) throws Exception {
    repository = TestRepository.create(dir);
    repository.commit("README", "first\n");
    revisions =
        new RevisionLog(
            store,
            new ManifestCompiler(new JGitRefResolver()),
            clock,
            ControllerMetrics.discarding(),
            event -> {
              if (event instanceof ControllerEvent.RevisionStored stored) {
                // A rollback quarantines the release left, as the controller's reactions do.
                tracker.revisionStored(stored.revision(), stored.previous());
              }
            });
    tracker = new Tracker(revisions, url -> Map.of(), store, audit, clock, new Random(1));
    promotions =
        new Promotions(
            revisions,
            hosts,
            new RegistryFleet(hosts, clock, Duration.ofMinutes(3)),
            app -> Optional.ofNullable(rollouts.get(app)),
            store,
            audit,
            new ManifestCompiler(new JGitRefResolver()));
  }

  /** Staging, on the hosts labelled role=staging, following {@code ref}. */
  Revision applyStaging(String ref, String stackExtra) {
    return apply(
        """
        application: shop
        environment: staging
        hosts: {labels: {role: staging}}
        stack:
          git: {url: "%s", ref: "%s"}
          packages: [libxml2]
          web: {wsgi: shop.wsgi, processes: 1}
          site: {domains: [staging.shop.example.com]}
          commands:
            - {name: migrate, argv: [python, -m, alembic, upgrade, head]}
        %s"""
            .formatted(repository.url(), ref, stackExtra));
  }

  /** Production, on the hosts labelled role=web, at {@code ref}, with top-level {@code rule}. */
  Revision applyProduction(String ref, String rule) {
    return apply(applyProductionYaml(ref, rule));
  }

  /** The YAML {@link #applyProduction} applies. */
  String applyProductionYaml(String ref, String rule) {
    return ("""
        application: shop
        environment: production
        hosts: {labels: {role: web}}
        %sstack:
          git: {url: "%s", ref: "%s"}
          web: {wsgi: old.wsgi, processes: 8}
          site: {domains: [shop.example.com]}
        """
        .formatted(rule, repository.url(), ref));
  }

  Revision apply(String yaml) {
    ApplyResult result = revisions.apply(yaml, "shop.yaml", false, "ann@laptop");
    assertThat(result).as(result.toString()).isInstanceOf(ApplyResult.Accepted.class);
    return ((ApplyResult.Accepted) result).revision().orElseThrow();
  }

  /**
   * {@code host} (role {@code role}) polls, and reports revision {@code revision} of {@code app}.
   */
  void reports(String host, String role, AppEnv app, long revision, boolean succeeded) {
    hosts.recordPoll(
        PollRequest.newBuilder()
            .setHostId(host)
            .setFacts(HostFacts.newBuilder().putLabels("role", role))
            .setHealth(HostHealth.HOST_HEALTH_HEALTHY)
            .build());
    hosts.recordReport(
        ApplyReport.newBuilder()
            .setHostId(host)
            .setPlanId("plan-" + revision)
            .addRevisions(
                RevisionRef.newBuilder()
                    .setApplication(app.application())
                    .setEnvironment(app.environment())
                    .setRevision(revision))
            .setOutcome(
                succeeded
                    ? ApplyOutcome.APPLY_OUTCOME_SUCCEEDED
                    : ApplyOutcome.APPLY_OUTCOME_FAILED)
            .build());
  }

  /** {@code host}, known already, polls again with the health it has. */
  void polls(String host) {
    hosts
        .get(host)
        .ifPresent(
            state ->
                hosts.recordPoll(
                    PollRequest.newBuilder()
                        .setHostId(host)
                        .setFacts(state.getFacts())
                        .setAppliedPlanId(state.getAppliedPlanId())
                        .setHealth(state.getHealth())
                        .build()));
  }

  /** A staging host reports {@code revision} applied and healthy. */
  void stagingRuns(String host, long revision) {
    reports(host, "staging", STAGING, revision, true);
  }

  Revision current(AppEnv app) {
    return revisions.get(app, 0).orElseThrow();
  }

  @Override
  public void close() {
    repository.close();
  }
}
