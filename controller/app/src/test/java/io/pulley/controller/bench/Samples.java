package io.pulley.controller.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Delays measured in one scenario, summarised as median and range: ten samples carry no tail. */
record Samples(List<Duration> delays) {
  Samples {
    if (delays.isEmpty()) {
      throw new IllegalArgumentException("no samples to summarise");
    }
    List<Duration> sorted = new ArrayList<>(delays);
    sorted.sort(null);
    delays = List.copyOf(sorted);
  }

  Duration median() {
    int n = delays.size();
    return n % 2 == 1
        ? delays.get(n / 2)
        : delays.get(n / 2 - 1).plus(delays.get(n / 2)).dividedBy(2);
  }

  Duration min() {
    return delays.get(0);
  }

  Duration max() {
    return delays.get(delays.size() - 1);
  }

  static String seconds(Duration delay) {
    return String.format("%.2f", delay.toNanos() / 1e9);
  }
}
