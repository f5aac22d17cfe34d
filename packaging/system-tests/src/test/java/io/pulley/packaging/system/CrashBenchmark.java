package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianRelease;
import io.pulley.packaging.harness.PristineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The crash-point sweep on a real server (docs/benchmarks.md): the sample stack deployed on a
 * pristine server, then one new commit per kill, the agent killed with SIGKILL at each step of that
 * deploy and at seeded random moments of it; each time systemd restarts it and the test checks that
 * it converged: the apply resumed and succeeded and says so, the new release serves, it alone runs
 * (one uWSGI instance, one worker), its files are the commit's and its virtualenv imports the
 * application. Prints the counts. StackIT runs two of these kills in CI. Run with `sudo
 * packaging/bench/crash.sh [RANDOM_KILLS [SEED]]`.
 */
public final class CrashBenchmark {
  private static final Duration COLD = Duration.ofMinutes(20);
  private static final Duration WARM = Duration.ofMinutes(5);
  private static final String APP_ENV = "shop/production";
  private static final String NAME = "shop-production";

  private final SampleSite sample;
  private final Path manifest;
  private int version = 1;

  private CrashBenchmark(SampleSite sample, Path manifest) {
    this.sample = sample;
    this.manifest = manifest;
  }

  public static void main(String[] args) throws Exception {
    int randomKills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 20261206L;
    DebianRelease release = DebianRelease.named(envOr(DebianRelease.ENVIRONMENT_VARIABLE, "13"));
    Path work = Files.createTempDirectory("pulley-crash-bench-");
    try (SampleSite sample = SampleSite.start(work, "crash-bench", release)) {
      Path manifest = SampleStackManifest.production(work, sample.repository().url(), "main");
      new CrashBenchmark(sample, manifest).sweep(randomKills, new Random(seed), release);
    }
  }

  private void sweep(int randomKills, Random random, DebianRelease release) throws Exception {
    StatusReport cold = deploy(Kill.none(), COLD).report();
    require(cold.succeeded(), "cold deploy", cold);
    long start = System.nanoTime();
    StatusReport warm = deploy(Kill.none(), WARM).report();
    require(warm.succeeded(), "warm deploy", warm);
    Duration warmWall = Duration.ofNanos(System.nanoTime() - start);
    List<String> steps = new ArrayList<>(warm.outcomes().keySet());

    Counts counts = new Counts();
    for (String step : steps) {
      counts.add("step " + step, deploy(Kill.at(step), WARM));
    }
    for (int i = 0; i < randomKills; i++) {
      Duration after = Duration.ofMillis((long) (random.nextDouble() * warmWall.toMillis()));
      counts.add("random at " + after.toMillis() + " ms", deploy(Kill.after(after), WARM));
    }
    System.out.println();
    System.out.printf(
        "Debian %s, warm deploy %.1f s, %d steps%n",
        release.version(), warmWall.toMillis() / 1000.0, steps.size());
    counts.print();
  }

  /** A deploy's report, and whether the agent was killed during it. */
  private record Deployed(StatusReport report, boolean killed) {}

  /** A new commit deployed, with the agent killed as {@code kill} says; checks the outcome. */
  private Deployed deploy(Kill kill, Duration atMost) throws Exception {
    version++;
    String commit =
        sample
            .repository()
            .commit(Map.of("pulley_sample/VERSION", version + ".0.0\n"), "version " + version);
    String before = sample.status().lastApply();
    CompletableFuture<AgentCrash.StepKill> atStep = kill.arm(sample.server());
    int revision = sample.apply(manifest);
    kill.afterApply(sample.server());
    AgentCrash.StepKill stepKill = atStep.get();
    StatusReport report = sample.awaitApplyOf(APP_ENV, revision, before, atMost);
    String broken = broken(commit);
    boolean killed =
        kill.after() != null || (kill.step() != null && stepKill == AgentCrash.StepKill.KILLED);
    return new Deployed(
        broken.isEmpty() ? report : StatusReport.parse("BROKEN: " + broken + "\n" + report.text()),
        killed);
  }

  /** What is wrong with the live release, or "" if nothing is. */
  private String broken(String commit) throws Exception {
    List<String> wrong = new ArrayList<>();
    String live = sample.site("shop.example.test").get("/").header("X-Version");
    if (!(version + ".0.0").equals(live)) {
      wrong.add("serves " + live);
    }
    if (!sample
        .runningUnits(NAME + "-uwsgi@*")
        .equals(List.of(NAME + "-uwsgi@" + commit + ".service"))) {
      wrong.add("uWSGI instances " + sample.runningUnits(NAME + "-uwsgi@*"));
    }
    if (!sample
        .runningUnits(NAME + "-celery-worker@*")
        .equals(List.of(NAME + "-celery-worker@" + commit + ".service"))) {
      wrong.add("workers " + sample.runningUnits(NAME + "-celery-worker@*"));
    }
    String release = "/srv/" + NAME + "/releases/" + commit;
    Map<String, String> onServer = AgentCrash.blobsOnServer(sample.server(), release);
    for (Map.Entry<String, String> file : sample.repository().blobs(commit).entrySet()) {
      if (!file.getValue().equals(onServer.get(file.getKey()))) {
        wrong.add("file " + file.getKey());
      }
    }
    if (!sample
        .server()
        .exec(release + "/venv/bin/python", "-c", "import pulley_sample.models, celery")
        .ok()) {
      wrong.add("venv does not import the application");
    }
    return String.join(", ", wrong);
  }

  private static void require(boolean ok, String what, StatusReport report) {
    if (!ok) {
      throw new IllegalStateException(what + " failed:\n" + report.text());
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** When the agent is killed during a deploy. */
  private record Kill(String step, Duration after) {
    static Kill none() {
      return new Kill(null, null);
    }

    static Kill at(String step) {
      return new Kill(step, null);
    }

    static Kill after(Duration after) {
      return new Kill(null, after);
    }

    /**
     * For a kill at a step: watches for it on the server from now on (before the plan is applied),
     * on another thread. Otherwise nothing to watch.
     */
    CompletableFuture<AgentCrash.StepKill> arm(PristineServer server) {
      if (step == null) {
        return CompletableFuture.completedFuture(AgentCrash.StepKill.PASSED);
      }
      return CompletableFuture.supplyAsync(() -> AgentCrash.killAtStep(server, step, WARM));
    }

    /** For a kill at a moment: waits for it after the apply call, then kills. */
    void afterApply(PristineServer server) throws InterruptedException {
      if (after != null) {
        Thread.sleep(after.toMillis());
        AgentCrash.kill(server);
      }
    }
  }

  /** What the kills came to. */
  private static final class Counts {
    private int kills;
    private int missed;
    private int resumed;
    private int afterTheEnd;
    private int converged;
    private final List<String> broken = new ArrayList<>();

    void add(String label, Deployed deployed) {
      StatusReport report = deployed.report();
      if (!deployed.killed()) {
        // A step that took no time to find unchanged; still a deploy that must converge.
        missed++;
        System.out.println(label + " → went by before it was seen, not killed");
        if (!report.succeeded() || report.text().startsWith("BROKEN")) {
          broken.add(label + ": " + report.text().lines().findFirst().orElse(""));
        }
        return;
      }
      kills++;
      boolean interrupted = report.text().contains("resumed an apply interrupted at");
      if (interrupted) {
        resumed++;
      } else {
        afterTheEnd++;
      }
      if (report.text().startsWith("BROKEN")) {
        broken.add(label + ": " + report.text().lines().findFirst().orElse(""));
      } else if (report.succeeded()) {
        converged++;
      } else {
        broken.add(label + ": apply failed");
      }
      String where =
          report.text().lines().filter(l -> l.startsWith("resumed ")).findFirst().orElse("not cut");
      System.out.println(label + " → " + where + (report.succeeded() ? "" : " FAILED"));
    }

    void print() {
      System.out.println(
          "| kills | resumed an interrupted apply | landed after the end | converged | broken"
              + " | steps not seen (no kill) |");
      System.out.println("|---|---|---|---|---|---|");
      System.out.printf(
          "| %d | %d | %d | %d | %d | %d |%n",
          kills, resumed, afterTheEnd, converged, broken.size(), missed);
      broken.forEach(b -> System.out.println("broken: " + b));
    }
  }
}
