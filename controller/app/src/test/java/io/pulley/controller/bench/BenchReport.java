package io.pulley.controller.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fan-out benchmark's Markdown: per transport the fan-out tables, the enrolments, the reconnect
 * storms, and mTLS ÷ plaintext for every fleet size both measured. Not thread-safe.
 */
final class BenchReport {
  static final String RATIO_HEADER =
      "| agents | time to last agent | controller RSS idle | controller CPU during fan-out "
          + "| connect + first poll CPU per agent, mTLS − plaintext (ms) "
          + "| storm: all held again | storm: controller CPU "
          + "| storm: CPU per TLS handshake, mTLS − plaintext (ms) |\n"
          + "|---:|---:|---:|---:|---:|---:|---:|---:|";

  private final List<TransportRun> runs = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();

  void add(TransportRun run) {
    runs.add(run);
  }

  void failed(Transport transport, int agents, String reason) {
    failures.add(
        String.format(Locale.ROOT, "- %s, %,d agents: %s", transport.label(), agents, reason));
  }

  void print(PrintStream out) {
    for (Transport transport : Transport.values()) {
      List<TransportRun> of = runs.stream().filter(r -> r.transport() == transport).toList();
      if (of.isEmpty()) {
        continue;
      }
      out.println();
      out.println("### Fan-out, " + transport.label());
      out.println();
      out.println(FanoutResult.HEADER);
      of.forEach(r -> out.println(r.fanout().row()));
      out.println();
      out.println(FanoutResult.DETAIL_HEADER);
      of.forEach(r -> out.println(r.fanout().detailRow()));
    }
    List<EnrolResult> enrolments = runs.stream().flatMap(r -> r.enrolment().stream()).toList();
    if (!enrolments.isEmpty()) {
      out.println();
      out.println("### Enrolment (mTLS)");
      out.println();
      out.println(EnrolResult.HEADER);
      enrolments.forEach(e -> out.println(e.row()));
    }
    out.println();
    out.println("### Reconnect storm");
    out.println();
    out.println(StormResult.HEADER);
    for (TransportRun run : runs) {
      out.println(
          run.storm()
              .map(StormResult::row)
              .orElse(StormResult.failedRow(run.transport(), run.agents(), run.stormFailure())));
    }
    printRatios(out);
    if (!failures.isEmpty()) {
      out.println();
      out.println("Failed runs:");
      failures.forEach(out::println);
    }
    out.flush();
  }

  private void printRatios(PrintStream out) {
    List<String> rows = new ArrayList<>();
    for (TransportRun mtls : runs) {
      if (mtls.transport() != Transport.MTLS) {
        continue;
      }
      find(Transport.PLAINTEXT, mtls.agents()).ifPresent(plain -> rows.add(ratioRow(plain, mtls)));
    }
    if (rows.isEmpty()) {
      return;
    }
    out.println();
    out.println("### mTLS ÷ plaintext");
    out.println();
    out.println(RATIO_HEADER);
    rows.forEach(out::println);
  }

  private Optional<TransportRun> find(Transport transport, int agents) {
    return runs.stream()
        .filter(r -> r.transport() == transport && r.agents() == agents)
        .findFirst();
  }

  static String ratioRow(TransportRun plain, TransportRun mtls) {
    FanoutResult p = plain.fanout();
    FanoutResult m = mtls.fanout();
    int agents = mtls.agents();
    String stormTime = "n/a";
    String stormCpu = "n/a";
    String perHandshake = "n/a";
    if (plain.storm().isPresent() && mtls.storm().isPresent()) {
      StormResult ps = plain.storm().get();
      StormResult ms = mtls.storm().get();
      if (ps.complete() && ms.complete()) {
        stormTime = ratio(ms.allHeldNanos(), ps.allHeldNanos());
      }
      stormCpu = ratio(ms.cpuMillis(), ps.cpuMillis());
      perHandshake = perAgent(ms.cpuMillis() - ps.cpuMillis(), agents);
    }
    return String.format(
        Locale.ROOT,
        "| %,d | %s | %s | %s | %s | %s | %s | %s |",
        agents,
        m.latency().maxNanos() == LatencySummary.MISSING
                || p.latency().maxNanos() == LatencySummary.MISSING
            ? "n/a"
            : ratio(m.latency().maxNanos(), p.latency().maxNanos()),
        ratio(m.idle().rssKib(), p.idle().rssKib()),
        ratio(m.fanoutCpuMillis(), p.fanoutCpuMillis()),
        perAgent(m.connectCpuMillis() - p.connectCpuMillis(), agents),
        stormTime,
        stormCpu,
        perHandshake);
  }

  private static String ratio(double numerator, double denominator) {
    return denominator <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", numerator / denominator);
  }

  private static String perAgent(long millis, int agents) {
    return String.format(Locale.ROOT, "%.2f", (double) millis / agents);
  }
}
