package io.pulley.agent.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The counts of a crash sweep: where the kills landed and how the resumed applies ended. */
final class CrashSweepTally {
  private int steps;
  private int randoms;
  private int afterEnd;
  private int converged;
  private final Map<String, Integer> landed = new LinkedHashMap<>();
  private final List<String> broken = new ArrayList<>();

  /**
   * One kill, {@code label} naming it so that it can be run again, that landed in {@code where},
   * and what was wrong after the restart (nothing: it converged).
   */
  void record(boolean atStep, String label, String where, List<String> problems) {
    if (atStep) {
      steps++;
    } else {
      randoms++;
    }
    if (where.equals(CrashSweepKill.AFTER_END)) {
      afterEnd++;
    }
    landed.merge(where, 1, Integer::sum);
    if (problems.isEmpty()) {
      converged++;
    } else {
      broken.add(label + " (landed in " + where + "): " + String.join("; ", problems));
    }
  }

  List<String> broken() {
    return List.copyOf(broken);
  }

  String summary(long seed, long millis) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "crash sweep, seed %d: %d steps killed, %d random points killed, %d after the end;"
                + " %d converged, %d broken releases; %.1f s%n",
            seed, steps, randoms, afterEnd, converged, broken.size(), millis / 1000.0));
    s.append("  landed in: ").append(landed).append('\n');
    broken.forEach(b -> s.append("  BROKEN ").append(b).append('\n'));
    return s.toString();
  }
}
