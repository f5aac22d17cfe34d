package io.pulley.controller.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link FanoutBenchmark}. */
record BenchmarkOptions(
    List<Integer> agentCounts, int rampPerSecond, Path controllerJar, List<Transport> transports) {
  static final String USAGE =
      "usage: FanoutBenchmark [--agents N]... [--ramp-per-second R] [--controller-jar JAR]"
          + " [--transport mtls|plaintext|both]\n"
          + "  --agents N           fleet size; repeat for several runs (default 100, 1000, 10000)\n"
          + "  --ramp-per-second R  new connections per second (default 1000)\n"
          + "  --controller-jar JAR (default controller/app/target/pulley-controller.jar)\n"
          + "  --transport T        mtls, plaintext or both, each N with each (default both)";

  private static final List<Integer> DEFAULT_AGENTS = List.of(100, 1_000, 10_000);
  private static final int MAX_AGENTS = 15_000;

  BenchmarkOptions {
    agentCounts = List.copyOf(agentCounts);
    transports = List.copyOf(transports);
    if (transports.isEmpty()) {
      throw new IllegalArgumentException("at least one transport is needed");
    }
    for (int n : agentCounts) {
      if (n < 1 || n > MAX_AGENTS) {
        throw new IllegalArgumentException("--agents must be in 1.." + MAX_AGENTS + ": " + n);
      }
    }
    if (rampPerSecond < 1) {
      throw new IllegalArgumentException("--ramp-per-second must be positive: " + rampPerSecond);
    }
  }

  static BenchmarkOptions parse(String[] args) {
    List<Integer> agents = new ArrayList<>();
    int ramp = 1_000;
    Path jar = Path.of("controller", "app", "target", "pulley-controller.jar");
    List<Transport> transports = Transport.parse("both");
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag + "\n" + USAGE);
      }
      String value = args[++i];
      switch (flag) {
        case "--agents" -> agents.add(parseInt(flag, value));
        case "--ramp-per-second" -> ramp = parseInt(flag, value);
        case "--controller-jar" -> jar = Path.of(value);
        case "--transport" -> transports = Transport.parse(value);
        default -> throw new IllegalArgumentException("unknown option: " + flag + "\n" + USAGE);
      }
    }
    return new BenchmarkOptions(agents.isEmpty() ? DEFAULT_AGENTS : agents, ramp, jar, transports);
  }

  private static int parseInt(String flag, String value) {
    try {
      return Integer.parseInt(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number: " + value, e);
    }
  }
}
