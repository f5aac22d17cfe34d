package io.pulley.controller.audit;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.metrics.ControllerMetrics;
import io.pulley.controller.store.Store;
import io.pulley.controller.time.ProtoTime;
import io.pulley.v1.AuditEvent;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of who or what did what to an application: every revision, rollout step, pause, abort,
 * rollback and quarantine, stored and logged as one line each; and, apart from any application, the
 * access trail: tokens, hosts' enrolments, admins. Thread-safe. Details are written by the
 * controller from names, numbers and agents' reasons, which never carry a secret's value (agents
 * redact theirs; tokens appear by id only).
 */
public final class AuditTrail {
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  /**
   * Access events belong to no application. They are stored under this empty pair, which no
   * manifest can name, so the one events table keeps both trails in one order.
   */
  private static final AppEnv ACCESS = new AppEnv("", "");

  private final Store store;
  private final Clock clock;
  private final ControllerMetrics metrics;

  /** A trail whose entries are counted nowhere, for tests. */
  public AuditTrail(Store store, Clock clock) {
    this(store, clock, ControllerMetrics.discarding());
  }

  public AuditTrail(Store store, Clock clock, ControllerMetrics metrics) {
    this.store = store;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Records one event; {@code revision} 0 when it concerns none. */
  public void record(AppEnv app, long revision, String kind, String actor, String detail) {
    AuditEvent event =
        AuditEvent.newBuilder()
            .setApplication(app.application())
            .setEnvironment(app.environment())
            .setRevision(revision)
            .setKind(kind)
            .setActor(actor)
            .setDetail(detail)
            .setAt(ProtoTime.timestamp(clock.instant()))
            .build();
    store.appendEvent(event);
    metrics.audited(kind);
    if (app.equals(ACCESS)) {
      log.info("audit access {} by {}: {}", kind, actor, detail);
    } else {
      log.info("audit {} #{} {} by {}: {}", app, revision, kind, actor, detail);
    }
  }

  /**
   * Records a change of who may reach the fleet: {@code kind} "token", "host" or "admin". Routine
   * certificate renewals with an unchanged key are not recorded (a fleet would fill the trail with
   * them); a renewal that changes the key is.
   */
  public void recordAccess(String kind, String actor, String detail) {
    record(ACCESS, 0, kind, actor, detail);
  }

  /** Up to {@code limit} access events, newest first. */
  public List<AuditEvent> accessEvents(int limit) {
    return store.events(ACCESS, limit);
  }

  /** Up to {@code limit} events, newest first. */
  public List<AuditEvent> events(AppEnv app, int limit) {
    return store.events(app, limit);
  }
}
