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
 * agent's own per-resource durations. Run with `sudo packaging/bench/stack.sh [WARM_RUNS]`.
 */
public final class StackBenchmark {
  private static final Duration COLD = Duration.ofMinutes(20);
  private static final Duration WARM = Duration.ofMinutes(5);
  private static final String APP_ENV = "shop/production";

  private StackBenchmark() {}

  public static void main(String[] args) throws Exception {
    int warmRuns = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path work = Files.createTempDirectory("pulley-stack-bench-");
    List<String> rows = new ArrayList<>();
    try (SampleSite sample =
        SampleSite.start(work, "stack-bench", DebianRelease.fromEnvironment())) {
      SampleRepository repository = sample.repository();
      Path manifest = SampleStackManifest.production(work, repository.url(), "main");

      rows.add(measure(sample, "cold: pristine server → serving", manifest, COLD));
      for (int run = 2; run < 2 + warmRuns; run++) {
        repository.commit(Map.of("pulley_sample/VERSION", run + ".0.0\n"), "version " + run);
        rows.add(measure(sample, "warm: new commit → live (v" + run + ")", manifest, WARM));
      }
      // Back to the release before the last: still on disk (keep: 3), so nothing is rebuilt.
      int previous = warmRuns;
      String before = sample.status().lastApply();
      long start = System.nanoTime();
      int revision = sample.rollback("shop", "production", previous);
      StatusReport back = sample.awaitApplyOf(APP_ENV, revision, before, WARM);
      rows.add(row("rollback to the previous release (v" + previous + ")", start, back));
    }
    System.out.println();
    System.out.println("| step | wall (apply → report) | agent total | top resources |");
    System.out.println("|---|---|---|---|");
    rows.forEach(System.out::println);
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
