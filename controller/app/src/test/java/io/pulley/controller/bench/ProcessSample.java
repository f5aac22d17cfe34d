package io.pulley.controller.bench;

/** A process's resident memory and CPU time (user + system) at one moment. */
record ProcessSample(long rssKib, long cpuMillis) {
  double rssMib() {
    return rssKib / 1024.0;
  }

  /** CPU time spent between {@code earlier} and this sample. */
  long cpuMillisSince(ProcessSample earlier) {
    return cpuMillis - earlier.cpuMillis;
  }
}
