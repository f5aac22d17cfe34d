package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.ApplyContext;
import io.pulley.agent.apply.Convergence;
import io.pulley.agent.apply.PathGuard;
import io.pulley.agent.apply.ResourceExecutor;
import io.pulley.agent.apply.SecretScrubber;
import io.pulley.agent.apply.health.HealthCheckExecutor;
import io.pulley.agent.apply.health.RetryPause;
import io.pulley.agent.apply.process.CommandRunner;
import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;
import io.pulley.agent.apply.systemd.UnitFiles;
import io.pulley.v1.lite.Handover;
import io.pulley.v1.lite.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converges a {@link Handover}: the web application and its Celery worker end up on the release,
 * switched in the order that fails no request and loses no task. This class checks the request and
 * reports the result; {@link UwsgiSwitch} is the switch itself, step by step. One apply at a time.
 */
public final class HandoverExecutor implements ResourceExecutor<Handover> {
  static final Path RUN_ROOT = Path.of("/run");

  private final PathGuard guard;
  private final UwsgiSwitch uwsgiSwitch;
  private final Path runRoot;
  private final Path unitDir;

  /** How busy an instance is, from its stats socket. */
  @FunctionalInterface
  interface StatsReader {
    Optional<UwsgiStats.Load> read(Path statsSocket);
  }

  /** The check of the whole site through nginx after the switch. */
  @FunctionalInterface
  public interface SiteCheck {
    Convergence check(HealthCheck spec, ApplyContext context) throws IOException;
  }

  public HandoverExecutor(PathGuard guard, CommandRunner runner) {
    this(
        guard,
        runner,
        CeleryControl.KERNEL_HOSTNAME,
        new UwsgiProbe(),
        UwsgiStats::read,
        new HealthCheckExecutor()::converge,
        RetryPause.SLEEP,
        Clock.systemUTC(),
        UnitFiles.SYSTEM_DIR,
        RUN_ROOT);
  }

  HandoverExecutor(
      PathGuard guard,
      CommandRunner runner,
      CeleryControl.HostName hostName,
      SocketProbe probe,
      StatsReader statsReader,
      SiteCheck siteCheck,
      RetryPause pause,
      Clock clock,
      Path unitDir,
      Path runRoot) {
    this.guard = guard;
    this.runRoot = runRoot;
    this.unitDir = unitDir;
    CeleryControl celery = new CeleryControl(runner, hostName);
    this.uwsgiSwitch =
        new UwsgiSwitch(
            new HandoverHost(
                new Systemctl(runner),
                celery,
                new Readiness(celery, probe, pause, clock),
                statsReader,
                siteCheck,
                pause,
                clock,
                unitDir));
  }

  @Override
  public Convergence converge(Handover spec, ApplyContext context) throws IOException {
    Optional<String> refused = HandoverRules.refusal(spec, guard, runRoot);
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    HandoverTarget target = HandoverTarget.of(spec, context);
    // What the switch writes: units, and ROOT/current pointing into the release.
    List<Path> written =
        new ArrayList<>(List.of(target.release(), unitDir.resolve(spec.getWebUnit())));
    if (!spec.getWorkerUnit().isEmpty()) {
      written.add(unitDir.resolve(spec.getWorkerUnit()));
    }
    Optional<String> outside = guard.check(written.toArray(Path[]::new));
    if (outside.isPresent()) {
      return Convergence.failed(outside.get());
    }
    if (!Files.isDirectory(target.release(), LinkOption.NOFOLLOW_LINKS)) {
      return Convergence.failed("release " + target.release() + " is not checked out");
    }
    try {
      return uwsgiSwitch.run(target);
    } catch (StepFailed e) {
      return Convergence.failed(SecretScrubber.scrub(e.getMessage(), context))
          .withOutputTail(SecretScrubber.scrub(e.tail(), context));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted during the handover");
    }
  }
}
