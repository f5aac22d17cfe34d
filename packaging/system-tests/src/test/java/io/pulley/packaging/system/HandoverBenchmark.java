package io.pulley.packaging.system;

import io.pulley.packaging.harness.DebianRelease;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zero-downtime handover measured (docs/benchmarks.md): 20 handovers between two releases of
 * the sample site under wrk (16 connections) and httperf (50 new connections a second), an
 * unhealthy release after the tenth, Celery tasks throughout, then both negative controls in the
 * same run. Prints the table of counts and latency ratios. Run with `sudo
 * packaging/bench/handover.sh [per-release|reload] [DEPLOYS]`.
 */
public final class HandoverBenchmark {

  private HandoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "per-release";
    int deploys = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    HandoverProof.Plan plan = new HandoverProof.Plan(deploys, deploys / 2, 16, 50, mode);
    Path work = Files.createTempDirectory("pulley-handover-bench-");
    try (SampleSite sample =
        SampleSite.start(work, "handover-bench", DebianRelease.fromEnvironment())) {
      HandoverProof.Result result = new HandoverProof(sample, work, plan).run(true);
      System.out.println();
      for (HandoverProof.Deploy d : result.deploys()) {
        System.out.printf(
            "%-60s %s %.1f s%n", d.label(), d.succeeded() ? "ok" : "REFUSED", d.to() - d.from());
      }
      System.out.println();
      System.out.println("mode " + mode + ", " + deploys + " handovers");
      System.out.println(result.table());
      result.generators().forEach(g -> System.out.println(g.text()));
    }
  }
}
