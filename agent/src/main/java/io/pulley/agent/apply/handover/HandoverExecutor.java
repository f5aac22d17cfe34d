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
import io.pulley.agent.files.AtomicWriter;
import io.pulley.agent.files.Symlinks;
import io.pulley.v1.Handover;
import io.pulley.v1.HandoverMode;
import io.pulley.v1.HealthCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Converges a {@link Handover}: the web application and its Celery worker end up on the release,
 * switched in the order that fails no request and loses no task (see the message's comment). Each
 * step is checked before the next: a release that never answers never gets traffic, and a site that
 * fails after the switch is switched back. What already runs is reused, so a crash at any point
 * resumes on the next apply, and a converged handover touches nothing. One apply at a time.
 */
public final class HandoverExecutor implements ResourceExecutor<Handover> {
  static final Path UNIT_DIR = Path.of("/etc/systemd/system");
  static final Path RUN_ROOT = Path.of("/run");

  /** The reload mode's one instance. */
  static final String LIVE = "live";

  private static final Duration IDLE_INTERVAL = Duration.ofMillis(200);
  private static final Duration CONSUMER_SETTLE = Duration.ofSeconds(3);

  private final PathGuard guard;
  private final Systemctl systemctl;
  private final CeleryControl celery;
  private final Readiness readiness;
  private final SiteCheck siteCheck;
  private final RetryPause pause;
  private final Clock clock;
  private final StatsReader statsReader;
  private final Path unitDir;
  private final Path runRoot;

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
        UNIT_DIR,
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
    this.systemctl = new Systemctl(runner);
    this.celery = new CeleryControl(runner, hostName);
    this.readiness = new Readiness(celery, probe, pause, clock);
    this.siteCheck = siteCheck;
    this.pause = pause;
    this.clock = clock;
    this.statsReader = statsReader;
    this.unitDir = unitDir;
    this.runRoot = runRoot;
  }

  @Override
  public Convergence converge(Handover spec, ApplyContext context) throws IOException {
    Optional<String> refused = HandoverRules.refusal(spec, guard, runRoot);
    if (refused.isPresent()) {
      return Convergence.failed(refused.get());
    }
    Path release = Path.of(spec.getRoot(), "releases", spec.getCommit());
    if (!Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)) {
      return Convergence.failed("release " + release + " is not checked out");
    }
    try {
      return new Switch(spec, context, release).run();
    } catch (StepFailed e) {
      return Convergence.failed(SecretScrubber.scrub(e.getMessage(), context))
          .withOutputTail(SecretScrubber.scrub(e.tail(), context));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Convergence.failed("interrupted during the handover");
    }
  }

  /** One handover to one release: the steps, and what to undo if a later one fails. */
  private final class Switch {
    private final Handover spec;
    private final ApplyContext context;
    private final Path release;
    private final Path current;
    private final Instances web;
    private final Instances workers;
    private final boolean restart;
    private final List<String> changes = new ArrayList<>();
    private String startedWorker;

    Switch(Handover spec, ApplyContext context, Path release) {
      this.spec = spec;
      this.context = context;
      this.release = release;
      this.current = Path.of(spec.getRoot(), "current");
      Path runDir = Path.of(spec.getRunDir());
      this.web = new Instances(spec.getWebUnit(), runDir);
      this.workers = new Instances(spec.getWorkerUnit(), runDir);
      this.restart =
          spec.getRestartOnList().stream().anyMatch(context.changedResources()::contains);
    }

    Convergence run() throws IOException, StepFailed, InterruptedException {
      writeUnits();
      if (!spec.getWorkerUnit().isEmpty()) {
        worker();
      }
      String instance =
          spec.getMode() == HandoverMode.HANDOVER_MODE_RELOAD ? LIVE : spec.getCommit();
      String unit = web.unit(instance);
      Optional<String> live = Symlinks.target(socketLink()).flatMap(Instances::ofSocket);
      boolean serving = live.equals(Optional.of(instance)) && systemctl.isActive(unit);
      if (!serving) {
        handOver(instance, unit, live);
      } else if (spec.getMode() == HandoverMode.HANDOVER_MODE_RELOAD
          ? restart || !release.equals(currentRelease())
          : restart) {
        reload(instance);
      }
      if (!release.equals(currentRelease())) {
        Symlinks.replace(
            current, Path.of("releases", spec.getCommit())); // after a crash between links
      }
      if (systemctl.enable(unit)) {
        changes.add("enabled " + unit);
      }
      retire(web.pattern(), unit, spec.getRetiredWebUnitsList(), true);
      if (!spec.getWorkerUnit().isEmpty()) {
        String worker = workers.unit(spec.getCommit());
        if (systemctl.enable(worker)) {
          changes.add("enabled " + worker);
        }
        retire(workers.pattern(), worker, spec.getRetiredWorkerUnitsList(), false);
      }
      return Convergence.of(changes, "serving " + abbreviate(spec.getCommit()));
    }

    /** The template units, written only when different; systemd reloaded if one was. */
    private void writeUnits() throws IOException, StepFailed, InterruptedException {
      boolean written = writeUnit(spec.getWebUnit(), spec.getWebUnitContent());
      if (!spec.getWorkerUnit().isEmpty()) {
        written |= writeUnit(spec.getWorkerUnit(), spec.getWorkerUnitContent());
      }
      if (written) {
        systemctl.daemonReload();
      }
    }

    private boolean writeUnit(String name, String content) throws IOException {
      Path file = unitDir.resolve(name);
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
        return false;
      }
      AtomicWriter.write(
          file,
          bytes,
          temp ->
              Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--")));
      changes.add("unit " + name + " written");
      return true;
    }

    /** The release's worker runs and answers before the web tier can send it new task names. */
    private void worker() throws StepFailed, InterruptedException, IOException {
      String unit = workers.unit(spec.getCommit());
      if (!systemctl.isActive(unit)) {
        systemctl.resetFailed(unit);
        startOrExplain(unit);
        startedWorker = unit;
        changes.add("worker " + abbreviate(spec.getCommit()) + " started");
      } else if (restart) {
        // The same release with new settings: a warm restart hands unacked tasks back first.
        systemctl.restart(unit);
        changes.add("worker restarted (settings changed)");
      } else {
        return;
      }
      Optional<String> silent =
          readiness.workerAnswers(spec.getWorkerCelery(), node(spec.getCommit()));
      if (silent.isPresent()) {
        String journal = systemctl.journal(unit);
        stopNewWorker();
        throw new StepFailed("worker " + unit + " did not answer: " + silent.get(), journal);
      }
    }

    /** Starts the instance beside the live one, checks it, then moves the traffic to it. */
    private void handOver(String instance, String unit, Optional<String> previous)
        throws IOException, StepFailed, InterruptedException {
      Optional<Path> previousCurrent = Symlinks.target(current);
      boolean reloadMode = spec.getMode() == HandoverMode.HANDOVER_MODE_RELOAD;
      if (reloadMode) {
        // The one instance finds its code through current, so current moves first.
        Symlinks.replace(current, Path.of("releases", spec.getCommit()));
      }
      boolean started = !systemctl.isActive(unit);
      if (started) {
        Files.deleteIfExists(web.ready(instance));
        systemctl.resetFailed(unit);
        try {
          startOrExplain(unit);
        } catch (StepFailed e) {
          restoreCurrent(reloadMode, previousCurrent);
          systemctl.stop(unit);
          stopNewWorker();
          throw e;
        }
      }
      Optional<String> unhealthy = readiness.webAnswers(web, instance, spec.getWebCheck(), started);
      if (unhealthy.isPresent()) {
        String journal = systemctl.journal(unit);
        restoreCurrent(reloadMode, previousCurrent);
        if (started) {
          systemctl.stop(unit);
        }
        stopNewWorker();
        throw new StepFailed(
            "release " + abbreviate(spec.getCommit()) + " got no traffic: " + unhealthy.get(),
            journal);
      }
      Optional<Path> previousSocket = Symlinks.target(socketLink());
      Optional<Path> previousHttp =
          spec.getHttpSocketLink().isEmpty()
              ? Optional.empty()
              : Symlinks.target(Path.of(spec.getHttpSocketLink()));
      switchLinks(instance);
      Convergence site = siteCheck.check(spec.getSiteCheck(), context);
      if (site.failed()) {
        if (previousSocket.isPresent()) {
          Symlinks.replace(socketLink(), previousSocket.get());
        }
        if (previousHttp.isPresent()) {
          Symlinks.replace(Path.of(spec.getHttpSocketLink()), previousHttp.get());
        }
        restoreCurrent(true, previousCurrent);
        systemctl.stop(unit);
        stopNewWorker();
        throw new StepFailed(
            "the site failed after the switch to "
                + abbreviate(spec.getCommit())
                + ", switched back"
                + previous.map(p -> " to " + abbreviate(p)).orElse("")
                + ": "
                + site.reason(),
            "");
      }
      changes.add("traffic → " + unit);
    }

    /** The reload mode's new code, or new settings for the same release: a graceful reload. */
    private void reload(String instance) throws IOException, StepFailed, InterruptedException {
      Optional<Path> previousCurrent = Symlinks.target(current);
      Symlinks.replace(current, Path.of("releases", spec.getCommit()));
      Files.deleteIfExists(web.ready(instance));
      MasterFifo.send(web.fifo(instance), 'r');
      Optional<String> unhealthy = readiness.webAnswers(web, instance, spec.getWebCheck(), true);
      Convergence site =
          unhealthy.isPresent()
              ? Convergence.failed(unhealthy.get())
              : siteCheck.check(spec.getSiteCheck(), context);
      if (site.failed()) {
        String journal = systemctl.journal(web.unit(instance));
        if (restoreCurrent(true, previousCurrent)) {
          Files.deleteIfExists(web.ready(instance));
          MasterFifo.send(web.fifo(instance), 'r');
        }
        throw new StepFailed(
            "graceful reload onto "
                + abbreviate(spec.getCommit())
                + " failed, reloaded back: "
                + site.reason(),
            journal);
      }
      changes.add("reloaded " + web.unit(instance) + " gracefully");
    }

    /** Socket links and current move to the instance, each by one rename. */
    private void switchLinks(String instance) throws IOException {
      Symlinks.replace(socketLink(), web.socket(instance).getFileName());
      if (!spec.getHttpSocketLink().isEmpty()) {
        Symlinks.replace(Path.of(spec.getHttpSocketLink()), web.httpSocket(instance).getFileName());
      }
      Symlinks.replace(current, Path.of("releases", spec.getCommit()));
    }

    /** Puts current back; true if it had moved. */
    private boolean restoreCurrent(boolean moved, Optional<Path> previous) throws IOException {
      if (!moved || previous.isEmpty() || previous.equals(Symlinks.target(current))) {
        return false;
      }
      Symlinks.replace(current, previous.get());
      return true;
    }

    /**
     * Stops every other running instance of {@code pattern}, and the retired units: web instances
     * after a drain (requests nginx queued on their sockets are answered), gracefully either way.
     */
    private void retire(String pattern, String keep, List<String> retired, boolean drain)
        throws StepFailed, InterruptedException, IOException {
      List<String> old = new ArrayList<>(systemctl.running(pattern));
      old.remove(keep);
      for (String unit : retired) {
        if (systemctl.isActive(unit)) {
          old.add(unit);
        }
      }
      if (old.isEmpty()) {
        return;
      }
      if (drain) {
        pause.pause(Duration.ofSeconds(drainSeconds()));
      }
      for (String unit : old) {
        Optional<String> instance = drain ? web.instanceOf(unit) : Optional.empty();
        if (!drain) {
          workers.instanceOf(unit).ifPresent(this::stopConsuming);
        }
        if (instance.isPresent() && idle(web.stats(instance.get()))) {
          // Nothing runs and nothing waits, and nginx connects elsewhere: a brutal stop loses
          // nothing, where a graceful one waits out the reload mercy for threads blocked in
          // accept() (60 s).
          systemctl.stopNoBlock(unit);
          systemctl.killMain(unit, "SIGINT");
          systemctl.stop(unit);
        } else {
          // systemd signals the main process only (KillMode=mixed): uWSGI finishes its
          // requests, Celery its tasks, and gives the unstarted ones back to the queue.
          systemctl.stop(unit);
        }
        systemctl.disable(unit);
        web.instanceOf(unit).ifPresent(this::forgetReadiness);
        changes.add("stopped " + unit);
      }
    }

    /** What a stopped instance leaves in /run: uWSGI's vacuum removes sockets, not these. */
    /**
     * Waits until the retiring instance serves no request and has none queued, as long as a request
     * may run; false if that never came or its stats cannot be read.
     */
    private boolean idle(Path stats) throws InterruptedException {
      Instant end = clock.instant().plus(Duration.ofSeconds(requestTimeout()));
      while (true) {
        Optional<UwsgiStats.Load> load = statsReader.read(stats);
        if (load.isEmpty()) {
          return false;
        }
        if (load.get().idle()) {
          return true;
        }
        if (!clock.instant().isBefore(end)) {
          return false;
        }
        pause.pause(IDLE_INTERVAL);
      }
    }

    /**
     * Asks a retiring worker to stop taking messages, then waits out the broker poll it may have
     * outstanding (BRPOP, 1 s): its warm shutdown then closes no connection with a message in
     * flight. Best effort: the warm shutdown follows either way.
     */
    private void stopConsuming(String instance) {
      try {
        for (String queue : spec.getWorkerQueuesList()) {
          celery.cancelConsumer(spec.getWorkerCelery(), node(instance), queue);
        }
        pause.pause(CONSUMER_SETTLE);
      } catch (IOException e) {
        // The warm shutdown still gives back what the worker holds.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private String node(String instance) {
      return spec.getWorkerNodePrefix() + instance;
    }

    private void forgetReadiness(String instance) {
      try {
        Files.deleteIfExists(web.ready(instance));
        Files.deleteIfExists(web.fifo(instance));
      } catch (IOException e) {
        // A stale readiness file is deleted again before the instance next starts.
      }
    }

    private void startOrExplain(String unit) throws StepFailed, InterruptedException {
      try {
        systemctl.start(unit);
      } catch (StepFailed e) {
        throw new StepFailed(e.getMessage(), e.tail() + systemctl.journal(unit));
      }
    }

    /** Stops the worker this handover started, as an old one is stopped: consumer first. */
    private void stopNewWorker() throws StepFailed, InterruptedException {
      if (startedWorker != null) {
        workers.instanceOf(startedWorker).ifPresent(this::stopConsuming);
        systemctl.stop(startedWorker);
        startedWorker = null;
      }
    }

    private Path currentRelease() throws IOException {
      return Symlinks.target(current).map(t -> current.resolveSibling(t).normalize()).orElse(null);
    }

    private Path socketLink() {
      return Path.of(spec.getSocketLink());
    }

    private int requestTimeout() {
      return spec.getRequestTimeoutSeconds() == 0 ? 300 : spec.getRequestTimeoutSeconds();
    }

    private int drainSeconds() {
      return spec.getDrainSeconds() == 0 ? 2 : spec.getDrainSeconds();
    }
  }

  static String abbreviate(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
