package io.pulley.controller.grpc;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.stack.StackRenderer;
import io.pulley.v1.HostState;
import io.pulley.v1.ResourceResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What an admin should know before the hosts roll back, from their last reports: whether the
 * release being left changed the database's schema (its {@code schema:database} check, made on the
 * host that ran the migrations) and where the dump from before them is. Stateless.
 */
final class RollbackNotices {
  /** A fleet where every host ran the migrations still gets a readable answer. */
  static final int MAX_NOTICES = 10;

  private static final String CHANGED = " changed in this release: ";
  private static final String SAME = " is as it was before this release's commands";

  private RollbackNotices() {}

  static List<String> of(AppEnv app, List<HostState> hosts) {
    List<String> notices = new ArrayList<>();
    for (HostState host : hosts) {
      for (ResourceResult result : host.getLastReport().getResultsList()) {
        if (notices.size() < MAX_NOTICES
            && result.getApplication().equals(app.application())
            && result.getEnvironment().equals(app.environment())
            && result.getResourceId().equals(StackRenderer.SCHEMA_ID)) {
          notices.add(host.getHostId() + ": " + result.getReason() + advice(result.getReason()));
        }
      }
    }
    return notices;
  }

  private static String advice(String reason) {
    if (reason.contains(CHANGED)) {
      return ". The code you go back to meets the newer schema; if it needs the older one, restore"
          + " that dump after the rollback (docs/stack.md, database), which also takes back the"
          + " data written since";
    }
    if (reason.contains(SAME)) {
      return ". Going back needs no restore";
    }
    return "";
  }
}
