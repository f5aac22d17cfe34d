package io.pulley.controller.grpc;

import com.google.re2j.Pattern;
import io.pulley.wire.SafeText;

/** What a host id may look like: a host name, so it is safe in logs, tables and file names. */
final class HostIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  private HostIds() {}

  /** Why {@code hostId} is not acceptable, or null if it is. */
  static String problem(String hostId) {
    if (hostId.isEmpty()) {
      return "host_id is required";
    }
    if (!VALID.matcher(hostId).matches()) {
      return "host_id must be a host name (letters, digits, '.', '_', '-'), got \""
          + SafeText.cut(SafeText.line(hostId), 300)
          + "\"";
    }
    return null;
  }
}
