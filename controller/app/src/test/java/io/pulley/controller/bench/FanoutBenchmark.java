package io.pulley.controller.bench;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how fast a new revision reaches N long-polling agents, what holding their polls costs
 * the controller, and what their coming back after a controller restart costs it; over plaintext
 * and mutual TLS. A program, not a test: run it with controller/bench/fanout.sh.
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
    BenchReport report = new BenchReport();
    boolean allPassed = true;
    outer:
    for (int agents : options.agentCounts()) {
      for (Transport transport : options.transports()) {
        LOG.info(
            "event=run_start agents={} transport={} ramp_per_second={}",
            agents,
            transport.label(),
            options.rampPerSecond());
        try {
          TransportRun result = run.run(agents, transport);
          report.add(result);
          LOG.info("event=run_done transport={} {}", transport.label(), result.fanout().row());
          allPassed &= result.passed();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          report.failed(transport, agents, "interrupted");
          allPassed = false;
          break outer;
        } catch (IOException
            | StatusRuntimeException
            | IllegalStateException
            | IllegalArgumentException e) {
          LOG.error(
              "event=run_failed agents={} transport={} error={}",
              agents,
              transport.label(),
              e.toString());
          report.failed(transport, agents, firstLine(e.getMessage()));
          allPassed = false;
        }
      }
    }
    report.print(System.out);
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
