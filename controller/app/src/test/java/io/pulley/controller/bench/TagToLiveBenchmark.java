package io.pulley.controller.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures "tag push → live on all hosts" with a push webhook and with polling alone. A program,
 * not a test: run it with controller/bench/tag-to-live.sh.
 *
 * <p>Tracking follows only a stack's Git remote, and the agents here cannot apply a stack's
 * resources, so the two phases are measured apart, each for real: push → revision stored, and
 * revision stored → live on every host. Their sum is an estimate, and the table says so.
 */
public final class TagToLiveBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(TagToLiveBenchmark.class);
  private static final String HEADER =
      "| phase | mode | n | median s | min s | max s | median ÷ webhook's |\n"
          + "|---|---|---:|---:|---:|---:|---:|";

  private TagToLiveBenchmark() {}

  public static void main(String[] args) throws Exception {
    TagToLiveOptions options;
    try {
      options = TagToLiveOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path dir = Files.createTempDirectory("tag-to-live");
    boolean passed = false;
    try {
      passed = run(options, dir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Git, I/O or gRPC trouble ends the run; a stack trace would bury the tables' absence.
      LOG.error("event=run_failed error={}", e.toString());
    } finally {
      delete(dir);
    }
    // Exit explicitly: a stuck gRPC thread must not keep the benchmark alive.
    System.exit(passed ? 0 : 1);
  }

  private static boolean run(TagToLiveOptions options, Path dir) throws Exception {
    List<TrackingMode> modes = new ArrayList<>();
    modes.add(TrackingMode.viaWebhook());
    options.pollSeconds().forEach(s -> modes.add(TrackingMode.pollingEvery(s)));
    TrackingRun tracking = new TrackingRun(new Random(options.seed()));
    Map<TrackingMode, Samples> stored = new LinkedHashMap<>();
    for (TrackingMode mode : modes) {
      LOG.info("event=tracking_start mode=\"{}\" pushes={}", mode.name(), options.pushes());
      try {
        stored.put(mode, tracking.run(mode, options.pushes(), dir.resolve(slug(mode.name()))));
      } catch (IllegalStateException e) {
        LOG.error("event=tracking_failed mode=\"{}\" error={}", mode.name(), e.getMessage());
        return false;
      }
    }
    LOG.info("event=rollout_start hosts={} releases={}", options.hosts(), options.releases());
    List<RolloutRun.Delays> rollouts;
    try {
      rollouts = new RolloutRun().run(options.hosts(), options.releases(), dir.resolve("rollout"));
    } catch (IllegalStateException e) {
      LOG.error("event=rollout_failed error={}", e.getMessage());
      return false;
    }
    print(stored, rollouts, options.hosts());
    return true;
  }

  private static void print(
      Map<TrackingMode, Samples> stored, List<RolloutRun.Delays> rollouts, int hosts) {
    Duration webhook = stored.get(TrackingMode.viaWebhook()).median();
    Samples live = new Samples(rollouts.stream().map(RolloutRun.Delays::storedToLive).toList());
    Samples seen = new Samples(rollouts.stream().map(RolloutRun.Delays::applyToSeen).toList());
    System.out.println();
    System.out.println(HEADER);
    stored.forEach(
        (mode, samples) -> System.out.println(row("push → stored", mode.name(), samples, webhook)));
    String policy = "canary 1, batch 1, " + hosts + " hosts";
    System.out.println(row("stored → live", policy, live, null));
    System.out.println(row("apply → CLI shows succeeded", policy, seen, null));
    System.out.println();
    System.out.println("| push → live, estimated as the sum of medians | s | ÷ webhook's |");
    System.out.println("|---|---:|---:|");
    Duration viaWebhook = webhook.plus(live.median());
    stored.forEach(
        (mode, samples) -> {
          Duration total = samples.median().plus(live.median());
          System.out.printf(
              "| %s | %s | %s |%n", mode.name(), Samples.seconds(total), ratio(total, viaWebhook));
        });
    System.out.flush();
  }

  private static String row(String phase, String mode, Samples samples, Duration base) {
    return String.format(
        "| %s | %s | %d | %s | %s | %s | %s |",
        phase,
        mode,
        samples.delays().size(),
        Samples.seconds(samples.median()),
        Samples.seconds(samples.min()),
        Samples.seconds(samples.max()),
        base == null ? "" : ratio(samples.median(), base));
  }

  private static String ratio(Duration value, Duration base) {
    return String.format("%.1f×", (double) value.toNanos() / Math.max(1, base.toNanos()));
  }

  private static String slug(String name) {
    return name.replaceAll("[^a-z0-9]+", "-");
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
