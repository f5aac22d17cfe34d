package io.pulley.controller.cli;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.pulley.v1.ApplyOutcome;
import io.pulley.v1.EnrolmentState;
import io.pulley.v1.HostHealth;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.RevisionRef;
import io.pulley.v1.Role;
import io.pulley.v1.RolloutStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How values look in tables. */
final class Formats {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Formats() {}

  static String time(Timestamp timestamp) {
    if (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0) {
      return "-";
    }
    return TIME.format(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()));
  }

  static String ago(Timestamp timestamp, Instant now) {
    if (timestamp.getSeconds() == 0) {
      return "never";
    }
    long seconds = Math.max(0, now.getEpochSecond() - timestamp.getSeconds());
    if (seconds < 90) {
      return seconds + "s ago";
    }
    if (seconds < 90 * 60) {
      return seconds / 60 + "m ago";
    }
    if (seconds < 36 * 3600) {
      return seconds / 3600 + "h ago";
    }
    return seconds / 86400 + "d ago";
  }

  static String duration(Duration duration) {
    long millis = duration.getSeconds() * 1000 + duration.getNanos() / 1_000_000;
    return millis < 10_000 ? millis + "ms" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  static String health(HostHealth health) {
    return enumWord(health.name(), "HOST_HEALTH_");
  }

  static String outcome(ResourceOutcome outcome) {
    return enumWord(outcome.name(), "RESOURCE_OUTCOME_");
  }

  static String outcome(ApplyOutcome outcome) {
    return enumWord(outcome.name(), "APPLY_OUTCOME_");
  }

  /** "running", "halted", …; "unknown" for a status this CLI does not know. */
  static String status(RolloutStatus status) {
    return status == RolloutStatus.ROLLOUT_STATUS_UNSPECIFIED
            || status == RolloutStatus.UNRECOGNIZED
        ? "unknown"
        : enumWord(status.name(), "ROLLOUT_STATUS_");
  }

  static String revisions(List<RevisionRef> refs) {
    if (refs.isEmpty()) {
      return "-";
    }
    return refs.stream()
        .map(r -> r.getApplication() + "/" + r.getEnvironment() + "#" + r.getRevision())
        .collect(Collectors.joining(","));
  }

  static String shortId(String planId) {
    return planId.length() > 12 ? planId.substring(0, 12) : (planId.isEmpty() ? "-" : planId);
  }

  static String state(EnrolmentState state) {
    return enumWord(state.name(), "ENROLMENT_STATE_");
  }

  static String role(Role role) {
    return enumWord(role.name(), "ROLE_");
  }

  /** "k=v,k2=v2" sorted by key, or "-". */
  static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "-";
    }
    return new TreeMap<>(labels)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  private static String enumWord(String name, String prefix) {
    String word = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    return word.toLowerCase(Locale.ROOT);
  }
}
