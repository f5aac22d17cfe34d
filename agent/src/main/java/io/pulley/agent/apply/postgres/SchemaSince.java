package io.pulley.agent.apply.postgres;

import io.pulley.agent.apply.Convergence;
import java.util.Optional;

/**
 * Whether a database's schema changed since the dump made before a release's commands: what the
 * admin must know before a rollback (the older code meets the newer schema unless the dump is
 * restored). A check only: it changes nothing, so it never fails the apply; a schema it cannot read
 * is said so.
 */
final class SchemaSince {
  static final String CHANGED = " changed in this release: ";
  static final String SAME = " is as it was before this release's commands (";

  private SchemaSince() {}

  static Convergence check(String database, Optional<DumpMarker> marker, Psql psql) {
    if (marker.isEmpty()) {
      return Convergence.unchanged(
          "no dump was made before this release's commands: nothing to compare the schema of "
              + database
              + " with");
    }
    String dump = "; the dump from before them: " + marker.get().dump();
    if (marker.get().schema().isEmpty()) {
      return Convergence.unchanged(
          "the schema of " + database + " was not taken with its dump: not known" + dump);
    }
    Optional<SchemaFingerprint> now = SchemaFingerprint.of(psql, database);
    if (now.isEmpty()) {
      return Convergence.unchanged("cannot read the schema of " + database + " now" + dump);
    }
    SchemaFingerprint before = marker.get().schema().get();
    if (before.equals(now.get())) {
      return Convergence.unchanged(
          "the schema of " + database + SAME + before.counts() + ")" + dump);
    }
    return Convergence.unchanged(
        "the schema of "
            + database
            + CHANGED
            + before.counts()
            + " before its commands, "
            + now.get().counts()
            + " now"
            + dump);
  }
}
