package io.pulley.agent.apply;

import io.pulley.v1.lite.AppPlan;
import io.pulley.v1.lite.ApplyOutcome;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.Duration;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.InterruptedApply;
import io.pulley.v1.lite.Resource;
import io.pulley.v1.lite.ResourceOutcome;
import io.pulley.v1.lite.ResourceResult;
import io.pulley.v1.lite.RevisionRef;
import io.pulley.v1.lite.Timestamp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a host plan: each application's resources in order. A failed resource skips the rest of
 * its application; other applications still run. Not thread-safe: one apply at a time.
 */
public final class Applier implements PlanApplier {
  private static final Logger log = LoggerFactory.getLogger(Applier.class);

  /**
   * One apply.
   *
   * @param complete false when a stop request cut the apply short; its report is then partial and
   *     the plan must be applied again
   */
  public record Run(ApplyReport report, boolean complete) {}

  private final ResourceExecutor<Resource> executors;
  private final Path stateRoot;
  private final ApplyJournal journal;
  private final Clock clock;

  /**
   * @param executors converges a resource of any kind, routing it to the executor of that kind
   * @param stateRoot where executors keep state between applies, one directory per application and
   *     environment below it
   * @param journal where the apply records its progress while it runs
   */
  public Applier(
      ResourceExecutor<Resource> executors, Path stateRoot, ApplyJournal journal, Clock clock) {
    this.executors = executors;
    this.stateRoot = stateRoot;
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public Optional<InterruptedApply> interrupted() {
    return journal.interrupted();
  }

  @Override
  public Run apply(HostPlan plan, BooleanSupplier stop) {
    Instant started = clock.instant();
    ApplyReport.Builder report =
        ApplyReport.newBuilder()
            .setHostId(plan.getHostId())
            .setPlanId(plan.getPlanId())
            .setStartedAt(timestamp(started));
    journal
        .interrupted()
        .ifPresent(
            cut -> {
              log.warn(
                  "resuming an apply of plan {} that was cut short at {}/{} {}",
                  cut.getPlanId(),
                  cut.getApplication(),
                  cut.getEnvironment(),
                  cut.getResourceId());
              report.setInterrupted(cut);
            });
    journal.begin(plan.getPlanId(), started);
    boolean complete = true;
    boolean failed = false;
    for (AppPlan app : plan.getAppsList()) {
      report.addRevisions(revisionOf(app));
      String failedId = null;
      ApplyContext context =
          new ApplyContext(
              app.getApplication(),
              app.getEnvironment(),
              app.getRevision(),
              app.getSecretsMap(),
              stateRoot.resolve(app.getApplication()).resolve(app.getEnvironment()));
      UnfinishedChanges unfinished = new UnfinishedChanges(context.stateDir());
      carryOver(unfinished, context);
      boolean ranAll = true;
      for (Resource resource : app.getResourcesList()) {
        ResourceResult.Builder result =
            ResourceResult.newBuilder()
                .setApplication(app.getApplication())
                .setEnvironment(app.getEnvironment())
                .setResourceId(resource.getId());
        if (failedId != null) {
          ranAll = false;
          skip(result, "skipped: " + failedId + " failed");
        } else if (stop.getAsBoolean()) {
          ranAll = false;
          complete = false;
          skip(result, "skipped: the agent is stopping");
        } else {
          Instant begin = clock.instant();
          journal.converging(app.getApplication(), app.getEnvironment(), resource.getId());
          Convergence c = converge(app, resource, context);
          result
              .setOutcome(c.outcome())
              .setReason(c.reason())
              .setOutputTail(c.outputTail())
              .setDrift(c.drift())
              .setDuration(duration(begin, clock.instant()));
          if (c.changed()) {
            context.markChanged(resource.getId());
            remember(unfinished, context);
          }
          if (c.failed()) {
            failedId = resource.getId();
            failed = true;
          }
        }
        report.addResults(result);
      }
      if (ranAll && failedId == null) {
        forget(unfinished);
      }
    }
    report
        .setOutcome(
            failed ? ApplyOutcome.APPLY_OUTCOME_FAILED : ApplyOutcome.APPLY_OUTCOME_SUCCEEDED)
        .setDuration(duration(started, clock.instant()));
    if (complete) {
      journal.end();
    } else {
      journal.stopped();
    }
    return new Run(report.build(), complete);
  }

  /** The revision of {@code app} as a report names it. */
  public static RevisionRef revisionOf(AppPlan app) {
    return RevisionRef.newBuilder()
        .setApplication(app.getApplication())
        .setEnvironment(app.getEnvironment())
        .setRevision(app.getRevision())
        .build();
  }

  private Convergence converge(AppPlan app, Resource resource, ApplyContext context) {
    try {
      Convergence c = executors.converge(resource, context);
      if (c.failed()) {
        c = c.withReason(RootCause.first(c.reason(), c.outputTail()));
      }
      if (c.drift().isEmpty()) {
        log.info(
            "{}/{} {}: {} ({})",
            app.getApplication(),
            app.getEnvironment(),
            resource.getId(),
            c.outcome(),
            c.reason());
      } else {
        // One event per line: a multi-line drift (a line diff) is joined with " | ".
        log.warn(
            "{}/{} {}: {} ({}); drift: {}",
            app.getApplication(),
            app.getEnvironment(),
            resource.getId(),
            c.outcome(),
            c.reason(),
            String.join(" | ", c.drift().lines().toList()));
      }
      return c;
    } catch (Exception e) {
      // Logged with its stack trace here; the report carries one line only.
      log.warn("{}/{} {} failed", app.getApplication(), app.getEnvironment(), resource.getId(), e);
      return Convergence.failed(RootCause.of(e));
    }
  }

  /** Starts from what changed in an earlier apply that did not reach the end. */
  private static void carryOver(UnfinishedChanges unfinished, ApplyContext context) {
    try {
      Set<String> carried = unfinished.load();
      if (!carried.isEmpty()) {
        log.info(
            "{}/{}: changes of an unfinished apply still count: {}",
            context.application(),
            context.environment(),
            carried);
        carried.forEach(context::markChanged);
      }
    } catch (IOException e) {
      log.warn("cannot read the unfinished changes of {}", context.application(), e);
    }
  }

  private static void remember(UnfinishedChanges unfinished, ApplyContext context) {
    try {
      unfinished.record(context.changedResources());
    } catch (IOException e) {
      // The apply goes on: losing this only matters if the agent also crashes before the end.
      log.warn("cannot record the changes of {}", context.application(), e);
    }
  }

  private static void forget(UnfinishedChanges unfinished) {
    try {
      unfinished.clear();
    } catch (IOException e) {
      log.warn("cannot clear the unfinished changes", e);
    }
  }

  private static void skip(ResourceResult.Builder result, String reason) {
    result.setOutcome(ResourceOutcome.RESOURCE_OUTCOME_SKIPPED).setReason(reason);
  }

  /** The report's form of a time; the forked applier stamps its reports with it too. */
  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  public static Duration duration(Instant from, Instant to) {
    java.time.Duration d = java.time.Duration.between(from, to);
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
