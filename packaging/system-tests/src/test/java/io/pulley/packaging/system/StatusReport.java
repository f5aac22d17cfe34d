package io.pulley.packaging.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One host's last apply as `pulley status HOST` prints it: the "last apply" line and each
 * resource's outcome and duration, read from the table the CLI prints for admins.
 */
record StatusReport(
    String lastApply, Map<String, String> outcomes, Map<String, Long> millis, String text) {
  private static final Pattern LAST_APPLY = Pattern.compile("(?m)^last apply: (.*)$");
  private static final Pattern ROW =
      Pattern.compile(
          "^\\S+/\\S+\\s+(\\S+)\\s+(unchanged|changed|failed|skipped)\\s+(\\d+ms|[\\d.]+s)?\\b.*$");

  static StatusReport parse(String text) {
    Matcher last = LAST_APPLY.matcher(text);
    Map<String, String> outcomes = new LinkedHashMap<>();
    Map<String, Long> millis = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        outcomes.put(row.group(1), row.group(2));
        millis.put(row.group(1), toMillis(row.group(3)));
      }
    }
    return new StatusReport(last.find() ? last.group(1) : "", outcomes, millis, text);
  }

  private static long toMillis(String time) {
    if (time == null) {
      return 0;
    }
    if (time.endsWith("ms")) {
      return Long.parseLong(time.substring(0, time.length() - 2));
    }
    return Math.round(Double.parseDouble(time.substring(0, time.length() - 1)) * 1000);
  }

  /** Ids of the resources whose outcome is one of {@code wanted}. */
  List<String> resourcesWith(String... wanted) {
    List<String> outcomesWanted = List.of(wanted);
    return outcomes.entrySet().stream()
        .filter(e -> outcomesWanted.contains(e.getValue()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * The outcome of resource {@code id} of {@code appEnv} (such as "shop/production"), where two
   * applications have resources of the same id; empty if it is not listed.
   */
  String outcomeOf(String appEnv, String id) {
    for (String line : text.lines().toList()) {
      Matcher row = ROW.matcher(line);
      if (row.matches() && line.startsWith(appEnv + " ") && row.group(1).equals(id)) {
        return row.group(2);
      }
    }
    return "";
  }

  boolean succeeded() {
    return lastApply.startsWith("succeeded");
  }
}
