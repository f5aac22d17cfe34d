package io.pulley.agent.apply.forked;

import io.pulley.agent.apply.Applier;
import io.pulley.agent.apply.ApplyJournal;
import io.pulley.agent.apply.PlanApplier;
import io.pulley.agent.apply.RunBytes;
import io.pulley.v1.lite.ApplyReport;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.InterruptedApply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each plan in a JVM of its own, started for that apply and gone after it, as Puppet's
 * agent forks a child for each run: the agent at rest then holds only what polling needs, none of
 * the executors, JGit and their compiled code, and can run without a JIT compiler at all.
 *
 * <p>The plan goes to the apply process on its standard input; it logs to the agent's standard
 * output and error (the journal) and writes its run to a file in the data dir, read once it exited.
 * A stop request closes its standard input: the apply then ends after the resource in progress, as
 * it does when the agent itself dies. The agent waits for it either way; an apply is never
 * abandoned half-way.
 */
public final class ForkedApplier implements PlanApplier {
  private static final Logger log = LoggerFactory.getLogger(ForkedApplier.class);

  /** Far above any report: ReportFit trims the run to the wire's limit afterwards. */
  private static final int MAX_RUN_BYTES = 64 * 1024 * 1024;

  /** How often a stop request is looked for while an apply runs (never while the agent waits). */
  private static final long STOP_CHECK_MILLIS = 200;

  private final ApplyJvm jvm;
  private final List<Path> allowedRoots;
  private final Path dataDir;
  private final String controller;
  private final ApplyJournal journal;
  private final Clock clock;

  /**
   * @param controller host:port of the controller, which a firewall change must still reach
   * @param clock the agent's clock: the report's start and duration are the agent's view of the
   *     apply (the poll loop schedules retries and reconvergence from them)
   */
  public ForkedApplier(
      ApplyJvm jvm, List<Path> allowedRoots, Path dataDir, String controller, Clock clock) {
    this.jvm = jvm;
    this.allowedRoots = List.copyOf(allowedRoots);
    this.dataDir = dataDir;
    this.controller = controller;
    this.journal = new ApplyJournal(dataDir);
    this.clock = clock;
  }

  @Override
  public Optional<InterruptedApply> interrupted() {
    return journal.interrupted();
  }

  @Override
  public Applier.Run apply(HostPlan plan, BooleanSupplier stop) {
    Instant started = clock.instant();
    Applier.Run run = applyForked(plan, stop);
    Instant finished = clock.instant();
    ApplyReport report =
        run.report().toBuilder()
            .setStartedAt(Applier.timestamp(started))
            .setDuration(Applier.duration(started, finished))
            .build();
    return new Applier.Run(report, run.complete());
  }

  private Applier.Run applyForked(HostPlan plan, BooleanSupplier stop) {
    Path runFile = dataDir.resolve("apply-run.pb");
    Process process;
    try {
      // A run left by an apply that died must never pass for this one's.
      Files.deleteIfExists(runFile);
      process =
          new ProcessBuilder(jvm.command())
              .inheritIO()
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      log.error("cannot start the apply's JVM: {}", e.getMessage());
      return failed(plan, e);
    }
    try {
      new ApplyRequest(allowedRoots, dataDir, controller, runFile, plan.toByteArray())
          .writeTo(process.getOutputStream());
    } catch (IOException e) {
      // It ended before it read the plan; its exit status says more than the broken pipe.
      log.warn("cannot send the plan to the apply's JVM: {}", e.getMessage());
    }
    int status = awaitExit(process, stop);
    return readRun(plan, runFile, status);
  }

  /** Waits until the process ends, closing its input at the first stop request; its status. */
  private static int awaitExit(Process process, BooleanSupplier stop) {
    boolean interrupted = false;
    boolean stopSent = false;
    while (process.isAlive()) {
      if (!stopSent && stop.getAsBoolean()) {
        closeQuietly(process.getOutputStream());
        stopSent = true;
      }
      try {
        process.waitFor(STOP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    closeQuietly(process.getOutputStream());
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return process.exitValue();
  }

  private static Applier.Run readRun(HostPlan plan, Path runFile, int status) {
    try (InputStream in = Files.newInputStream(runFile)) {
      byte[] bytes = in.readNBytes(MAX_RUN_BYTES + 1);
      if (bytes.length > MAX_RUN_BYTES) {
        throw new IOException("the apply's run is over " + MAX_RUN_BYTES + " bytes");
      }
      return RunBytes.decode(bytes);
    } catch (NoSuchFileException e) {
      String reason = "the apply's JVM exited with status " + status + " and no run (see the log)";
      log.error(reason);
      return failed(plan, new IOException(reason));
    } catch (IOException e) {
      log.error("the apply's run did not cross intact: {}", e.getMessage());
      return failed(plan, e);
    } finally {
      deleteQuietly(runFile);
    }
  }

  private static Applier.Run failed(HostPlan plan, Throwable cause) {
    return new Applier.Run(RunFailure.report(plan, cause), true);
  }

  private static void closeQuietly(OutputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // The process ended already: nothing to tell it any more.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", file, e.getMessage());
    }
  }
}
