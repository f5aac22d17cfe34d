package io.pulley.controller.store;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.AuditEvent;

/** The store's keys must be named: an empty one would silently merge unrelated rows. */
final class StoreNames {
  private StoreNames() {}

  static void require(AppEnv app) {
    require("application", app.application());
    require("environment", app.environment());
  }

  /**
   * An event belongs to an application in an environment, or to the whole controller (both empty).
   */
  static void requireOwner(AuditEvent event) {
    if (event.getApplication().isEmpty() && event.getEnvironment().isEmpty()) {
      return;
    }
    require("application", event.getApplication());
    require("environment", event.getEnvironment());
  }

  static void require(String field, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }
}
