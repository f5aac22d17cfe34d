package io.pulley.controller.bench;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how fast a new revision reaches N long-polling agents, and what holding their polls
 * costs the controller. A program, not a test: run it with controller/bench/fanout.sh.
 */
public final class FanoutBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(FanoutBenchmark.class);

  private FanoutBenchmark() {}

  public static void main(String[] args) {
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    boolean allPassed = run(options);
    // Exit explicitly: a stuck gRPC thread must not keep the benchmark alive.
    System.exit(allPassed ? 0 : 1);
  }

  private static boolean run(BenchmarkOptions options) {
    FanoutRun run = new FanoutRun(options);
    List<String> rows = new ArrayList<>();
    List<String> details = new ArrayList<>();
    boolean allPassed = true;
    for (int agents : options.agentCounts()) {
      LOG.info("event=run_start agents={} ramp_per_second={}", agents, options.rampPerSecond());
      try {
        FanoutResult result = run.run(agents);
        rows.add(result.row());
        details.add(result.detailRow());
        LOG.info("event=run_done {}", result.row());
        allPassed &= result.latency().received() == agents;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        rows.add(FanoutResult.failedRow(agents, "interrupted"));
        allPassed = false;
        break;
      } catch (IOException
          | StatusRuntimeException
          | IllegalStateException
          | IllegalArgumentException e) {
        LOG.error("event=run_failed agents={} error={}", agents, e.toString());
        rows.add(FanoutResult.failedRow(agents, firstLine(e.getMessage())));
        allPassed = false;
      }
    }
    System.out.println();
    System.out.println(FanoutResult.HEADER);
    rows.forEach(System.out::println);
    System.out.println();
    System.out.println(FanoutResult.DETAIL_HEADER);
    details.forEach(System.out::println);
    System.out.flush();
    return allPassed;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
