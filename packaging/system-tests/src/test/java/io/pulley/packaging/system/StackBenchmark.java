package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianRelease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the sample stack takes to go live (docs/benchmarks.md): a pristine server to a serving
 * site (cold: packages, database, first release), then new commits to live (warm: fetch, venv
 * reuse, checks, switch, restarts) and a rollback, each with where the time went, read from the
 * agent's own per-resource durations, on Debian 13 and then Debian 12 in one run (PULLEY_DEBIAN=13
 * or 12 for one of them). Run with `sudo packaging/bench/stack.sh [WARM_RUNS]`.
 */
public final class StackBenchmark {
  private static final Duration COLD = Duration.ofMinutes(20);
  private static final Duration WARM = Duration.ofMinutes(5);
  private static final String APP_ENV = "shop/production";

  private StackBenchmark() {}

  public static void main(String[] args) throws Exception {
    int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<DebianRelease> releases = releases(System.getenv(DebianRelease.ENVIRONMENT_VARIABLE));
    List<String> rows = new ArrayList<>();
    Map<DebianRelease, double[]> walls = new java.util.LinkedHashMap<>();
    for (DebianRelease release : releases) {
      walls.put(release, run(release, warmRuns, rows));
    }
    System.out.println();
    System.out.println("| step | wall (apply → report) | agent total | top resources |");
    System.out.println("|---|---|---|---|");
    rows.forEach(System.out::println);
    if (walls.size() == 2) {
      double[] newer = walls.get(releases.get(0));
      double[] older = walls.get(releases.get(1));
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "%s ÷ %s: cold %.2f, warm (mean of %d) %.2f, rollback %.2f%n",
          releases.get(0),
          releases.get(1),
          newer[0] / older[0],
          warmRuns,
          newer[1] / older[1],
          newer[2] / older[2]);
    }
  }

  /** The releases to measure, in order: "13,12" (the default) measures both in one run. */
  static List<DebianRelease> releases(String names) {
    List<DebianRelease> releases = new ArrayList<>();
    String list = names == null || names.isBlank() ? "13,12" : names;
    for (String name : list.split(",")) {
      releases.add(DebianRelease.named(name));
    }
    return releases;
  }

  /** Cold, warm and rollback walls on a fresh server of {@code release}: cold, warm mean, back. */
  private static double[] run(DebianRelease release, int warmRuns, List<String> rows)
      throws Exception {
    Path work = Files.createTempDirectory("pulley-stack-bench-");
    String prefix = "Debian " + release.version() + " ";
    double[] walls = new double[3];
    try (SampleSite sample = SampleSite.start(work, "stack-bench-" + release.version(), release)) {
      SampleRepository repository = sample.repository();
      Path manifest = SampleStackManifest.production(work, repository.url(), "main");

      long start = System.nanoTime();
      rows.add(measure(sample, prefix + "cold: pristine server → serving", manifest, COLD));
      walls[0] = secondsSince(start);
      for (int run = 2; run < 2 + warmRuns; run++) {
        repository.commit(Map.of("pulley_sample/VERSION", run + ".0.0\n"), "version " + run);
        start = System.nanoTime();
        rows.add(
            measure(sample, prefix + "warm: new commit → live (v" + run + ")", manifest, WARM));
        walls[1] += secondsSince(start) / warmRuns;
      }
      // Back to the release before the last: still on disk (keep: 3), so nothing is rebuilt.
      int previous = warmRuns;
      String before = sample.status().lastApply();
      start = System.nanoTime();
      int revision = sample.rollback("shop", "production", previous);
      StatusReport back = sample.awaitApplyOf(APP_ENV, revision, before, WARM);
      rows.add(row(prefix + "rollback to the previous release (v" + previous + ")", start, back));
      walls[2] = secondsSince(start);
    }
    return walls;
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String measure(SampleSite sample, String label, Path manifest, Duration atMost)
      throws Exception {
    String before = sample.status().lastApply();
    long start = System.nanoTime();
    int revision = sample.apply(manifest);
    StatusReport report = sample.awaitApplyOf(APP_ENV, revision, before, atMost);
    if (!report.succeeded()) {
      throw new IllegalStateException(label + " failed:\n" + report.text());
    }
    return row(label, start, report);
  }

  private static String row(String label, long startNanos, StatusReport report) {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    long total = report.millis().values().stream().mapToLong(Long::longValue).sum();
    String top =
        report.millis().entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(5)
            .map(e -> e.getKey() + " " + seconds(e.getValue()))
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    System.out.println(label + ": " + report.text());
    return String.format(
        Locale.ROOT, "| %s | %.1f s | %s | %s |", label, wall, seconds(total), top);
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
