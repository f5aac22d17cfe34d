package io.pulley.controller.bench;

import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link TagToLiveBenchmark}. */
record TagToLiveOptions(int pushes, List<Integer> pollSeconds, int hosts, int releases, long seed) {
  static final String USAGE =
      "usage: TagToLiveBenchmark [--pushes N] [--poll-seconds S]... [--hosts N] [--releases N]"
          + " [--seed N]\n"
          + "  --pushes N        tags pushed per tracking mode (default 10)\n"
          + "  --poll-seconds S  a polling-alone interval; repeat for several (default 5, 15)\n"
          + "  --hosts N         real agents in the rollout phase (default 3)\n"
          + "  --releases N      releases rolled out over them (default 10)\n"
          + "  --seed N          seeds the moments of the pushes (default 1)";

  private static final int MIN_POLL_SECONDS = 5;

  TagToLiveOptions {
    pollSeconds = List.copyOf(pollSeconds);
    positive("--pushes", pushes);
    positive("--hosts", hosts);
    positive("--releases", releases);
    for (int s : pollSeconds) {
      if (s < MIN_POLL_SECONDS) {
        throw new IllegalArgumentException(
            "--poll-seconds below the controller's minimum of " + MIN_POLL_SECONDS + ": " + s);
      }
    }
  }

  static TagToLiveOptions parse(String[] args) {
    int pushes = 10;
    List<Integer> poll = new ArrayList<>();
    int hosts = 3;
    int releases = 10;
    long seed = 1;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag + "\n" + USAGE);
      }
      String value = args[++i];
      switch (flag) {
        case "--pushes" -> pushes = parseInt(flag, value);
        case "--poll-seconds" -> poll.add(parseInt(flag, value));
        case "--hosts" -> hosts = parseInt(flag, value);
        case "--releases" -> releases = parseInt(flag, value);
        case "--seed" -> seed = parseInt(flag, value);
        default -> throw new IllegalArgumentException("unknown option: " + flag + "\n" + USAGE);
      }
    }
    return new TagToLiveOptions(
        pushes, poll.isEmpty() ? List.of(5, 15) : poll, hosts, releases, seed);
  }

  private static void positive(String flag, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be positive: " + value);
    }
  }

  private static int parseInt(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number: " + value, e);
    }
  }
}
